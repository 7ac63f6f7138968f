/* loa: make 404.html work wherever the site is.
   A server sends 404.html for a missing URL at any depth, the site may be copied to any folder, and it may be
   opened from disk. 404.html writes its links as absolute paths under the configured base path
   (data-base-path), which work without script on the published site, and loads this file through one
   <script data-loa-probe> per folder depth, shallowest first (js/loa-404.js, ../js/loa-404.js, …). A probe that finds
   no file fails (browsers never run a script answered with an error status, and a missing file on disk does
   not load), so the first copy that runs is the one at the site root, and its own URL is the root. Where that
   root is not the base path (another folder, file://), every link, form, stylesheet and script under the base
   path is pointed at it. The file name is loa's own, so that a probe above the site root is unlikely to find
   another site's script. No inline script: the page works under a strict Content-Security-Policy. */
(function (d) {
  var s = d.currentScript;
  if (!s || window.loaSiteRoot) return;
  var root = s.src.replace(/js\/loa-404\.js([?#].*)?$/, '');
  window.loaSiteRoot = root;
  var base = s.getAttribute('data-base-path') || '/';
  if (root === location.origin + base) return; // the published site: the links already work
  function fix(el, attr) {
    var v = el.getAttribute(attr);
    if (v && v.charAt(0) === '/' && v.charAt(1) !== '/' && v.indexOf(base) === 0) el.setAttribute(attr, root + v.slice(base.length));
  }
  function each(sel, f) { Array.prototype.forEach.call(d.querySelectorAll(sel), f); }
  // The stylesheets are in <head> before the probes: they load from the root at once.
  each('link[href]', function (e) { fix(e, 'href'); });
  function body() {
    each('a[href]', function (e) { fix(e, 'href'); });
    each('form[action]', function (e) { fix(e, 'action'); });
    // A script that failed to load from the base path is replaced by one from the root (the search loader).
    each('script[src]:not([data-loa-probe])', function (old) {
      if (old.getAttribute('src').indexOf(base) !== 0) return;
      var x = d.createElement('script');
      for (var i = 0; i < old.attributes.length; i++) x.setAttribute(old.attributes[i].name, old.attributes[i].value);
      fix(x, 'src');
      fix(x, 'data-search-root');
      fix(x, 'data-search-page');
      old.parentNode.replaceChild(x, old);
    });
  }
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', body); else body();
})(document);
