/* loa search page UI: search boxes, the drop-down and the search page
 * (#search-results, #search-status, [data-loa-search] inputs; ?q=&lang=&kind=&code=).
 * The engine is static/js/search-engine.js (loaded before this file by the
 * layouts and search-loader.js, or by this file when it is missing). Bundle
 * files are scripts that call loaSearch.add(name, data); they are loaded with
 * <script> elements, which work from file:// where fetch does not. Nothing
 * from the index is ever inserted as HTML: results are built from DOM nodes
 * and textContent. */
(function (G) {
  'use strict';
  var LS = G.loaSearch = G.loaSearch || {};
  if (LS.ui || typeof document !== 'object') return; // loaded twice, or not in a browser
  LS.ui = true;
  var script = document.currentScript;
  // search-loader.js, when it ran first, owns loading (LS.load, LS.add) and
  // may have started the index already; without it this file loads alone.
  var files = LS.files = LS.files || {}, waiters = {};
  if (!LS.load) {
    LS.add = function (name, data) {
      files[name] = data;
      var w = waiters[name];
      if (w) { delete waiters[name]; w(data); }
    };
  }
  function fail(key, detail) { var e = new Error(key + (detail ? ': ' + detail : '')); e.key = key; e.detail = detail; return e; }
  // The engine: already there, or loaded from next to this file.
  function withEngine(then) {
    if (LS.Engine) { then(); return; }
    var s = document.createElement('script');
    s.src = (script ? script.src.replace(/[^/]*$/, '') : '') + 'search-engine.js';
    s.onload = then;
    s.onerror = then; // start() reports the missing engine in the status line
    document.head.appendChild(s);
  }
  // ---- Browser ---------------------------------------------------------------
  function scriptLoader(root) {
    return function (file, name) {
      if (name in files) return Promise.resolve(files[name]);
      return new Promise(function (resolve, reject) {
        var s = document.createElement('script'), done = false;
        var timer = setTimeout(function () { finish(fail('missing', name)); }, 20000);
        function finish(err) {
          if (done) return;
          done = true; clearTimeout(timer); delete waiters[name];
          if (s.parentNode) s.parentNode.removeChild(s);
          if (err) reject(err); else resolve(files[name]);
        }
        waiters[name] = function () { finish(); };
        s.onerror = function () { finish(fail('missing', name)); };
        s.onload = function () { if (!(name in files)) finish(fail('missing', name)); };
        s.async = true;
        s.src = root + file + '.js';
        document.head.appendChild(s);
      });
    };
  }
  LS.scriptLoader = scriptLoader;

  // ---- User interface ------------------------------------------------------
  var EN = /^en/i.test(document.documentElement.lang || '');
  var T = EN ? {
    results: '{n} results for “{q}”', one: '1 result for “{q}”', none: 'No results for “{q}”. Check the spelling or try fewer words.',
    empty: 'Type a word to search.', noarticle: 'No convention on this site has an article {n}: check the number, or search for the article\'s subject.', onlynot: 'Add a word to look for: the query only excludes words.',
    schema: 'The search index does not match this page. Reload the page; if that does not help, the site needs to be rebuilt.',
    missing: 'Part of the search index could not be loaded. Check the connection or the copy of the site, then try again.',
    truncated: 'The query was shortened to 256 characters.', quote: 'A closing quotation mark is missing: the rest is read as a phrase.',
    syntax: 'Some search syntax is not supported and was ignored.', clauses: 'Only the first 16 words were used.',
    loading: 'Searching…', more: 'Show more results', all: 'All', convention: 'Convention', guidance: 'Guidance', page: 'Page'
  } : {
    results: '{n} kết quả cho “{q}”', one: '1 kết quả cho “{q}”', none: 'Không tìm thấy “{q}”. Hãy kiểm tra chính tả hoặc bớt từ.',
    empty: 'Hãy gõ từ cần tìm.', noarticle: 'Không công ước nào trên trang này có Điều {n}: hãy kiểm tra lại số điều hoặc tìm theo nội dung.', onlynot: 'Hãy thêm từ cần tìm: truy vấn chỉ có từ bị loại trừ.',
    schema: 'Chỉ mục tìm kiếm không khớp với trang này. Hãy tải lại trang; nếu vẫn lỗi, cần dựng lại trang web.',
    missing: 'Không tải được một phần chỉ mục tìm kiếm. Hãy kiểm tra kết nối hoặc bản sao trang web rồi thử lại.',
    truncated: 'Truy vấn đã được rút gọn còn 256 ký tự.', quote: 'Thiếu dấu ngoặc kép đóng: phần còn lại được tìm như một cụm từ.',
    syntax: 'Một số cú pháp tìm kiếm không được hỗ trợ và đã bị bỏ qua.', clauses: 'Chỉ dùng 16 từ đầu tiên.',
    loading: 'Đang tìm…', more: 'Xem thêm kết quả', all: 'Tất cả', convention: 'Công ước', guidance: 'Hướng dẫn', page: 'Trang'
  };
  // The strings of i18n/<lang>.yaml that search-loader.js passed on (data-t-*).
  var LT = LS.t || {};
  if (LT.searching) T.loading = LT.searching;
  if (LT.more) T.more = LT.more;
  T.showing = LT.showing || (EN ? 'Showing {shown} of {n} results for “{q}”' : 'Đang hiển thị {shown} trong {n} kết quả cho “{q}”');
  function msg(k, q, n, shown) { return (T[k] || T.missing).replace('{q}', q || '').replace('{n}', n).replace('{shown}', shown); }

  var root = LS.root;
  if (!root) {
    root = ((script && script.getAttribute('data-search-root')) ||
      document.documentElement.getAttribute('data-search-root') || './').replace(/index\.html$/, '');
    if (root && !/\/$/.test(root)) root += '/';
    if (!/(^|\/)search\/$/.test(root)) root += 'search/';
  }
  var siteRoot = root.replace(/search\/$/, '');
  var engine;
  function href(path) {
    var h = path.indexOf('#'), p = h < 0 ? path : path.slice(0, h), frag = h < 0 ? '' : path.slice(h);
    if (/\/$/.test(p)) p += 'index.html';
    return siteRoot + p.replace(/^\//, '') + frag;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  // snippet appends text around the best cluster of marks, with <mark> nodes.
  function snippet(parent, text, ranges) {
    var W = 180, start = 0, best = 0, bestN = 0;
    for (var i = 0; i < ranges.length; i++) {
      var n = 0;
      for (var j = i; j < ranges.length && ranges[j][1] - ranges[i][0] <= W; j++) n++;
      if (n > bestN) { best = i; bestN = n; }
    }
    // Cut at word boundaries and never inside a mark (as snippet.go markText).
    if (ranges.length) {
      start = Math.max(0, ranges[best][0] - 30);
      while (start > 0 && !/\s/.test(text.charAt(start - 1))) start--;
    }
    var end = Math.min(text.length, start + W), pos = start;
    ranges.forEach(function (r) { if (r[0] < end && r[1] > end) end = r[1]; });
    while (end < text.length && !/\s/.test(text.charAt(end))) end++;
    if (start > 0) parent.appendChild(document.createTextNode('… '));
    ranges.forEach(function (r) {
      if (r[0] < pos || r[0] >= end) return;
      parent.appendChild(document.createTextNode(text.slice(pos, r[0])));
      parent.appendChild(el('mark', '', text.slice(r[0], r[1])));
      pos = r[1];
    });
    parent.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? ' …' : '')));
  }

  // render fills a drop-down (compact: titles only): the first hits grouped
  // by page, in rank order, and a link to all of them on the search page.
  function render(box, res, docs, opt) {
    var groups = [], byPage = {};
    res.hits.slice(0, opt.max).forEach(function (h) {
      var d = docs[h.doc], g = byPage[d.pageURL];
      if (!g) { g = byPage[d.pageURL] = { d: d, hits: [] }; groups.push(g); }
      g.hits.push(d);
    });
    var list = el('ol', 'search-hits');
    groups.forEach(function (g) {
      var li = el('li', 'search-result'), h = el('h2'), a = el('a', '', g.d.pageTitle);
      a.href = href(g.d.pageURL);
      h.appendChild(a);
      li.appendChild(h);
      g.hits.forEach(function (d) {
        if (d.url === d.pageURL) return;
        var h3 = el('h3'), sa = el('a', '', d.title);
        sa.href = href(d.url);
        h3.appendChild(sa);
        li.appendChild(h3);
      });
      list.appendChild(li);
    });
    box.textContent = '';
    box.appendChild(list);
    if (LS.page && res.hits.length) {
      var all = el('a', 'search-all', T.all + ' (' + res.hits.length + ')');
      all.href = LS.page.replace(/index\.html$/, '') + 'index.html?q=' + encodeURIComponent(opt.q);
      box.appendChild(all);
    }
  }

  // appendHits adds one list item per hit to list, in rank order, and
  // returns the first new link. A hit inside a page (an article) names its
  // page in the line under its title. Snippet paragraphs are left empty and
  // noted in snips ([paragraph, doc]) for the bodies that follow.
  function appendHits(list, nums, docs, snips) {
    var first = null;
    nums.forEach(function (n) {
      var d = docs[n], c = d.cls, li = el('li', 'search-result'), h = el('h2'), a = el('a', '', d.title || d.pageTitle);
      a.href = href(d.url);
      h.appendChild(a);
      li.appendChild(h);
      var meta = [];
      if (d.url !== d.pageURL && d.pageTitle) meta.push(d.pageTitle);
      meta.push(T[c[1]] || c[1]);
      if (c[2]) meta.push(c[2].toUpperCase());
      li.appendChild(el('p', 'search-meta', meta.join(' · ')));
      var p = el('p', 'search-snippet');
      li.appendChild(p);
      snips.push([p, n]);
      list.appendChild(li);
      if (!first) first = a;
    });
    return first;
  }

  function links(box) { return Array.prototype.slice.call(box.querySelectorAll('a')); }
  function arrows(input, box, onEscape) {
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { var l = links(box); if (l.length) { e.preventDefault(); l[0].focus(); } }
    });
    box.addEventListener('keydown', function (e) {
      var l = links(box), i = l.indexOf(document.activeElement);
      if (e.key === 'ArrowDown' && i >= 0 && i < l.length - 1) { e.preventDefault(); l[i + 1].focus(); }
      else if (e.key === 'ArrowUp' && i >= 0) { e.preventDefault(); (i ? l[i - 1] : input).focus(); }
      else if (e.key === 'Escape') { e.preventDefault(); input.focus(); if (onEscape) onEscape(); }
    });
  }

  // attach wires one search box. page is true on the search page.
  //
  // State: gen counts queries; only the current one (my === gen) may write
  // the status line, aria-busy and the results, so a superseded query that
  // finishes late never clears "Searching…" or shows stale hits. A new query
  // sets "Searching…" and aria-busy at once, then waits a debounce (delay)
  // that follows the reader's typing rhythm and grows with the time the last
  // bundle file took to load (150-600 ms). While the
  // last word is a single letter the box does not search (it would load a
  // shard for that letter alone, wasted when the next key arrives); the words
  // before it are complete, and their files are fetched while the reader
  // types (warm), so the query of the last key finds most of them loaded.
  function attach(input, box, status, page) {
    var form = input.form, gen = 0, timer = 0, max = page ? 10 : 8, warmed = '';
    var cur = null; // the current query's {my, q, res, shown, list}
    function sel(name) { return form && form.elements[name] && form.elements[name].tagName === 'SELECT' ? form.elements[name] : null; }
    function opts() {
      var l = sel('lang'), k = sel('kind'), c = sel('code');
      return { lang: l ? l.value : (EN ? 'en' : 'vi'), kind: k ? k.value : '', code: c ? c.value : '' };
    }
    function say(text) { if (status.textContent !== text) status.textContent = text; }
    function busy(on) { if (on) box.setAttribute('aria-busy', 'true'); else box.removeAttribute('aria-busy'); }
    // delay is the debounce after a key: 1.5 times the reader's own interval
    // between keys (so a query does not start between two keys of a word),
    // at least a quarter of the time the last bundle file took (a slow link
    // waits longer), clamped to 150-600 ms.
    var lastKey = 0, keyGap = 150;
    function delay() { return Math.min(600, Math.max(150, 1.5 * keyGap, (LS.lastLoadMs || 0) / 4)); }
    // next makes a new query current: "Searching…" shows at once.
    function next() {
      var my = ++gen;
      if (input.value.trim()) { say(T.loading); busy(true); }
      return my;
    }
    function count(c) {
      var n = c.res.hits.length, s = !n ? msg('none', c.q) : n > c.shown ? msg('showing', c.q, n, c.shown) : msg(n === 1 ? 'one' : 'results', c.q, n);
      c.res.notices.forEach(function (k) { s += ' ' + msg(k); });
      return s;
    }
    // show lists hits [from, to) of the current query: the first as soon as
    // its metadata file is there (then onFirst runs), the others when theirs
    // follow, snippets when the bodies do. All the files are requested at
    // once, the first hit's first. It resolves to the first new link.
    function show(c, from, to, onFirst) {
      var nums = c.res.hits.slice(from, to).map(function (h) { return h.doc; });
      var all = engine.docs(nums, false), snips = [], first = null;
      all.catch(function () {}); // a failure reaches the caller through the chain below
      return engine.docs(nums.slice(0, 1), false).then(function (docs) {
        if (c.my !== gen) return null;
        first = appendHits(c.list, nums.slice(0, 1), docs, snips);
        if (onFirst) onFirst();
        return all;
      }).then(function (docs) {
        if (!docs || c.my !== gen) return null;
        appendHits(c.list, nums.slice(1), docs, snips);
        if (snips.length) {
          engine.docs(nums, true).then(function (full) {
            snips.forEach(function (x) { snippet(x[0], full[x[1]].body, engine.marks(full[x[1]].body, full[x[1]].cls[0], c.res.terms)); });
          }, function () {});
        }
        return first;
      });
    }
    function moreButton(c) {
      var btn = box.querySelector('.search-more');
      if (c.shown >= c.res.hits.length) { if (btn) btn.parentNode.removeChild(btn); return; }
      if (btn) return;
      btn = el('button', 'search-more', T.more);
      btn.type = 'button';
      btn.onclick = function () {
        if (c.my !== gen || box.getAttribute('aria-busy')) return;
        var from = c.shown, to = Math.min(c.res.hits.length, from + 20);
        busy(true);
        show(c, from, to).then(function (first) {
          if (c.my !== gen) return;
          c.shown = to;
          busy(false);
          moreButton(c);
          say(count(c));
          if (first) first.focus();
        }, function (err) { if (c.my === gen) { busy(false); say(msg(err.key || 'missing', c.q, err.detail)); } });
      };
      box.appendChild(btn);
    }
    function run(my) {
      if (my !== gen) return;
      var q = input.value, o = opts();
      if (page) {
        try {
          var u = new URLSearchParams();
          if (q) u.set('q', q);
          ['lang', 'kind', 'code'].forEach(function (k) { if (sel(k) && o[k]) u.set(k, o[k]); });
          history.replaceState(null, '', location.pathname + (u.toString() ? '?' + u : ''));
        } catch (e) { /* file:// may refuse; the query still runs */ }
      }
      if (!q.trim()) { box.textContent = ''; if (!page) box.hidden = true; say(''); busy(false); cur = null; return; }
      engine.search(q, o).then(function (res) {
        if (my !== gen) return;
        var c = { my: my, q: q, res: res, shown: Math.min(res.hits.length, max) };
        if (!page) {
          var nums = res.hits.slice(0, max).map(function (h) { return h.doc; });
          return engine.docs(nums, false).then(function (docs) {
            if (my !== gen) return;
            render(box, res, docs, { q: q, max: max });
            box.hidden = !res.hits.length;
            say(count(c));
            busy(false);
          });
        }
        c.list = el('ol', 'search-hits');
        c.list.setAttribute('data-q', q); // the query these hits answer
        return show(c, 0, c.shown, function () {
          box.textContent = '';
          box.appendChild(c.list);
        }).then(function () {
          if (my !== gen) return;
          if (c.list.parentNode !== box) { box.textContent = ''; box.appendChild(c.list); }
          cur = c;
          moreButton(c);
          say(count(c));
          busy(false);
        });
      }).catch(function (err) {
        if (my !== gen) return;
        box.textContent = '';
        box.hidden = !page;
        if (!page && err.key !== 'empty' && err.key !== 'onlynot') box.hidden = false;
        say(msg(err.key || 'missing', q, err.detail));
        if (!page) box.appendChild(el('p', 'search-error', msg(err.key || 'missing', q, err.detail)));
        busy(false);
      });
    }
    // partial is true while the last word being typed is one letter (not a
    // digit: "điều 3" asks for an article).
    function partial(q) { var m = /(?:^|\s)(\S+)$/.exec(q); return !!m && Array.from(m[1]).length === 1 && !/[0-9]/.test(m[1]); }
    // warm fetches the files of the complete words, and the term chunks of
    // the last word as typed (engine.warm: without typo corrections and
    // prefixes) once it has two letters, without showing anything: chunks
    // hold runs of neighbouring terms, so the chunk of "quye" is mostly that
    // of "quyen".
    function warm(q) {
      if (!engine.meta) return;
      var m = /^(.*\s)(\S*)$/.exec(q), done = m ? m[1] : '', last = m ? m[2] : q;
      if (done.trim() && done !== warmed) { warmed = done; engine.search(done, opts()).catch(function () {}); }
      if (last && !partial(last)) engine.warm(last, opts()).catch(function () {});
    }
    function later() {
      clearTimeout(timer);
      var t = Date.now(), gap = t - lastKey;
      lastKey = t;
      if (gap < 1000) keyGap = gap; // a longer gap is a pause, not the rhythm
      var q = input.value;
      if (q.trim() && partial(q)) { warm(q); return; }
      warm(q);
      var my = next();
      timer = setTimeout(function () { run(my); }, q.trim() ? delay() : 0);
    }
    function now() { clearTimeout(timer); run(next()); }
    input.addEventListener('input', later);
    if (form) {
      form.addEventListener('change', function (e) { if (e.target !== input) now(); });
      if (page) form.addEventListener('submit', function (e) { e.preventDefault(); now(); });
    }
    arrows(input, box, function () { if (!page) box.hidden = true; });
    return now;
  }

  function fillFilters(form, params) {
    engine.init().then(function (m) {
      var code = form.elements.code, kind = form.elements.kind, seen = {};
      m.cls.forEach(function (c) {
        if (code && code.tagName === 'SELECT' && c[2] && !seen['c' + c[2]]) { seen['c' + c[2]] = 1; code.appendChild(new Option(c[2].toUpperCase(), c[2])); }
        if (kind && kind.tagName === 'SELECT' && !seen['k' + c[1]]) { seen['k' + c[1]] = 1; kind.appendChild(new Option(T[c[1]] || c[1], c[1])); }
      });
      ['kind', 'code'].forEach(function (k) { if (form.elements[k] && params.get(k)) form.elements[k].value = params.get(k); });
    }, function () {});
  }

  function start() {
    var results = document.getElementById('search-results');
    var inputs = Array.prototype.slice.call(document.querySelectorAll('[data-loa-search]'));
    if (results) {
      var params = new URLSearchParams(location.search);
      var input = document.getElementById('search-q') || inputs[0];
      var status = document.getElementById('search-status') || results.parentNode.insertBefore(el('p', '', ''), results);
      status.setAttribute('role', 'status');
      status.setAttribute('aria-live', 'polite');
      if (input) {
        var form = input.form;
        if (form && form.elements.lang && params.get('lang') != null) form.elements.lang.value = params.get('lang');
        if (form) fillFilters(form, params);
        if (params.get('q')) input.value = params.get('q');
        var run = attach(input, results, status, true);
        if (input.value) run(); // a ?q= link: the loader has started the index
      }
      inputs = inputs.filter(function (x) { return x !== input; });
    }
    if (inputs.length) {
      var css = el('link');
      css.rel = 'stylesheet';
      css.href = (script ? script.src.replace(/[^/]*$/, '') : '') + '../css/search.css';
      document.head.appendChild(css);
    }
    inputs.forEach(function (input) {
      var box = el('div', 'search-dropdown');
      box.hidden = true;
      box.id = 'search-dropdown-' + Math.random().toString(36).slice(2);
      var status = el('p', 'search-dropdown-status loa-sr-only');
      status.setAttribute('role', 'status');
      status.setAttribute('aria-live', 'polite');
      input.setAttribute('aria-controls', box.id);
      input.setAttribute('autocomplete', 'off');
      input.parentNode.insertBefore(box, input.nextSibling);
      input.parentNode.insertBefore(status, box);
      var run = attach(input, box, status, false);
      if (input.value && document.activeElement === input) run();
      document.addEventListener('click', function (e) { if (!box.contains(e.target) && e.target !== input) box.hidden = true; });
    });
  }
  function boot() {
    if (!LS.Engine) { // search-engine.js is missing: say so where results go
      var st = document.getElementById('search-status');
      if (st) st.textContent = msg('missing');
      return;
    }
    engine = LS.engine = new LS.Engine(LS.load || scriptLoader(root));
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
  }
  withEngine(boot);
})(typeof window === 'object' ? window : globalThis);
