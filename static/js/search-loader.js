/* loa: load search-engine.js and search.js on first focus of a search box (at once on a search page).
   data-search-root: the site root or its search folder, relative to the page. */
(function (d) {
  var s = d.currentScript, L = window.loaSearch = window.loaSearch || {};
  var r = (s && s.getAttribute('data-search-root')) || d.documentElement.getAttribute('data-search-root') || './';
  r = r.replace(/index\.html$/, '');
  if (r && !/\/$/.test(r)) r += '/';
  L.root = /(^|\/)search\/$/.test(r) ? r : r + 'search/';
  L.page = s && s.getAttribute('data-search-page');
  var dir = s ? s.src.replace(/[^/]*$/, '') : '';
  function load() {
    if (L.ui || L.loading) return;
    L.loading = 1;
    d.removeEventListener('focusin', on, true);
    // The engine, then the UI, in this order (async = false keeps it).
    ['search-engine.js', 'search.js'].forEach(function (f) {
      var x = d.createElement('script');
      x.src = dir + f;
      x.async = false;
      d.head.appendChild(x);
    });
  }
  function on(e) { if (e.target.matches && e.target.matches('[data-loa-search]')) load(); }
  d.addEventListener('focusin', on, true);
  var a = d.activeElement;
  if (d.getElementById('search-results') || (a && a.matches && a.matches('[data-loa-search]'))) load();
})(document);
