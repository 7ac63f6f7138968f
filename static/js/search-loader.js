/* loa: load search.js on first focus of a search box (at once on a search page).
   data-search-root: the site root or its search folder, relative to the page. */
(function (d) {
  var s = d.currentScript, L = window.loaSearch = window.loaSearch || {};
  var r = (s && s.getAttribute('data-search-root')) || d.documentElement.getAttribute('data-search-root') || './';
  r = r.replace(/index\.html$/, '');
  if (r && !/\/$/.test(r)) r += '/';
  L.root = /(^|\/)search\/$/.test(r) ? r : r + 'search/';
  L.page = s && s.getAttribute('data-search-page');
  var src = s ? s.src.replace(/[^/]*$/, 'search.js') : 'search.js';
  function load() {
    if (L.Engine || L.loading) return;
    L.loading = 1;
    d.removeEventListener('focusin', on, true);
    var x = d.createElement('script');
    x.src = src;
    d.head.appendChild(x);
  }
  function on(e) { if (e.target.matches && e.target.matches('[data-loa-search]')) load(); }
  d.addEventListener('focusin', on, true);
  var a = d.activeElement;
  if (d.getElementById('search-results') || (a && a.matches && a.matches('[data-loa-search]'))) load();
})(document);
