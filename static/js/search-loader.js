/* loa: the first search script of every page (deferred, early in <head>). It
   loads search-engine.js and search.js on first focus of a search box, at once
   on a search page, and owns the loading of bundle files (loaSearch.load), so
   that a search page opened with ?q= starts fetching the index before the
   page's other scripts run; layouts/_default/search.html also preloads the
   index, whose name has no hash.
   data-search-root: the site root or its search folder, relative to the page.
   data-t-*: UI strings from i18n/<lang>.yaml (searching, showing, more). */
(function (d) {
  var s = d.currentScript, L = window.loaSearch = window.loaSearch || {};
  var r = (s && s.getAttribute('data-search-root')) || d.documentElement.getAttribute('data-search-root') || './';
  r = r.replace(/index\.html$/, '');
  if (r && !/\/$/.test(r)) r += '/';
  L.root = /(^|\/)search\/$/.test(r) ? r : r + 'search/';
  L.page = s && s.getAttribute('data-search-page');
  L.t = L.t || {};
  ['searching', 'showing', 'more'].forEach(function (k) { var v = s && s.getAttribute('data-t-' + k); if (v) L.t[k] = v; });
  var dir = s ? s.src.replace(/[^/]*$/, '') : '';

  // Bundle files are scripts that call loaSearch.add(name, data): <script>
  // elements work from file:// where fetch does not. load(file, name) returns
  // one promise per name, so the loader's early fetch and the engine's share
  // a request. lastLoadMs is how long the last file took: search.js waits
  // longer between keys on a slow link.
  // When search.js ran first (a page that puts this script last), it loads
  // its own files and this script has nothing more to do.
  if (L.ui) return;
  var files = L.files = L.files || {}, waiters = {}, loading = {};
  L.add = function (name, data) {
    files[name] = data;
    var w = waiters[name];
    if (w) { delete waiters[name]; w(); }
  };
  L.lastLoadMs = 0;
  L.load = function (file, name) {
    if (name in files) return Promise.resolve(files[name]);
    if (loading[name]) return loading[name];
    var t0 = Date.now();
    return (loading[name] = new Promise(function (resolve, reject) {
      var x = d.createElement('script'), done = false;
      var timer = setTimeout(function () { finish(missing()); }, 20000);
      function missing() { var e = new Error('missing: ' + name); e.key = 'missing'; e.detail = name; return e; }
      function finish(err) {
        if (done) return;
        done = true; clearTimeout(timer); delete waiters[name]; delete loading[name];
        if (x.parentNode) x.parentNode.removeChild(x);
        if (err) { reject(err); return; }
        // A preloaded file (the index) arrives at once: its resource timing
        // says how long the network took.
        var e = window.performance && performance.getEntriesByName && performance.getEntriesByName(x.src).pop();
        L.lastLoadMs = Math.max(Date.now() - t0, e ? e.duration : 0);
        resolve(files[name]);
      }
      waiters[name] = function () { finish(); };
      x.onerror = function () { finish(missing()); };
      x.onload = function () { if (!(name in files)) finish(missing()); };
      x.async = true;
      x.src = L.root + file + '.js';
      d.head.appendChild(x);
    }));
  };

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
  var page = d.getElementById('search-results');
  // A search page: its own tags load the engine and the UI (deferred, after
  // this script); the index, which every query needs first, starts now.
  if (page) { L.load('index', 'index').catch(function () {}); return; }
  d.addEventListener('focusin', on, true);
  var a = d.activeElement;
  if (a && a.matches && a.matches('[data-loa-search]')) load();
})(document);
