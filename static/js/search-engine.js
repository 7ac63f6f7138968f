/* loa search engine: parses, analyses and scores queries exactly as the
 * site's Bleve index does, over the static bundle (internal/search/export.go
 * documents its files). Pure: no DOM, no network; the caller gives a loader
 * function(file, name) -> Promise of a bundle file's data. Node runs it in
 * the tests (internal/search/jstest, parity_test.go, relevance_test.go); the
 * page UI is static/js/search.js. Query parsing, analysis and scoring mirror
 * internal/search (parse.go, analysis.go, index.go compile) and Bleve's
 * formulas; each formula cites the Bleve source it mirrors.
 *
 *   var e = new loaSearch.Engine(load);
 *   e.search('quyen tre em', {lang: 'vi'}) -> {hits: [{doc, score}], notices, terms}
 *   e.docs([doc, ...], withBodies) -> {doc: {url, title, pageURL, pageTitle, cls: [lang, kind, code], body}}
 *   errors carry .key: "empty", "onlynot", "noarticle" (.detail: the number), "schema", "missing" */
(function (G) {
  'use strict';
  var SCHEMA = 11;
  var LS = G.loaSearch = G.loaSearch || {};
  if (LS.Engine) return; // loaded twice
  function fail(key, detail) { var e = new Error(key + (detail ? ': ' + detail : '')); e.key = key; e.detail = detail; return e; }

  // ---- Analysis (analysis.go) ----------------------------------------------
  var seg = typeof Intl === 'object' && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'word' }) : null;
  var WORD = /[\p{L}\p{M}\p{N}\p{Pc}]+(?:['’.:][\p{L}\p{M}\p{N}\p{Pc}]+)*/gu;
  function words(text) {
    var out = [], m;
    if (seg) {
      for (var it = seg.segment(text)[Symbol.iterator](), x = it.next(); !x.done; x = it.next()) {
        if (x.value.isWordLike) out.push([x.value.segment, x.value.index]);
      }
      return out;
    }
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) out.push([m[0], m.index]);
    return out;
  }
  function fold(s) {
    // eslint-disable-next-line no-control-regex
    if (!/[^\x00-\x7f]/.test(s)) return s;
    return s.normalize('NFD').replace(/\p{Mn}/gu, '').replace(/[đðɖ]/g, 'd').replace(/[ĐÐƉ]/g, 'D').normalize('NFC');
  }
  // dd: look-alikes of Đ/đ (Ð U+00D0, Ɖ U+0189, ð U+00F0, ɖ U+0256) become Đ/đ (analysis.go DD).
  function dd(s) { return s.replace(/[\u00d0\u0189]/g, 'Đ').replace(/[\u00f0\u0256]/g, 'đ'); }
  function possessive(t) {
    var n = t.length;
    return n > 1 && (t[n - 1] === 's' || t[n - 1] === 'S') && "'’＇".indexOf(t[n - 2]) >= 0 ? t.slice(0, n - 2) : t;
  }
  var OES = ['shoes', 'canoes', 'oboes'];
  var CHES = ['cliches', 'avalanches', 'mustaches', 'moustaches', 'quiches', 'headaches', 'heartaches', 'porsches', 'tranches', 'caches'];
  function isExc(w, list) { for (var i = 0; i < list.length; i++) if (w.endsWith(list[i])) return true; return false; }
  // Bleve's stemmer_en_plural (OpenSearch's EnglishPluralStemFilter).
  function plural(word) {
    var r = Array.from(word.toLowerCase()), n = r.length;
    if (n < 3 || r[n - 1] !== 's') return r.join('');
    var w = r.join('');
    switch (r[n - 2]) {
      case 'u': case 's': return w;
      case 'e':
        if (n > 4 && r[n - 3] === 'i') { r[n - 3] = 'y'; return r.slice(0, n - 2).join(''); }
        if (n > 3) {
          if (n > 4 && r[n - 3] === 'x') return r.slice(0, n - 2).join('');
          if (r[n - 3] === 'o') return r.slice(0, isExc(w, OES) ? n - 1 : n - 2).join('');
          if (n > 4) {
            if (r[n - 4] === 's' && (r[n - 3] === 'h' || r[n - 3] === 's')) return r.slice(0, n - 2).join('');
            if (r[n - 4] === 'c' && r[n - 3] === 'h') return r.slice(0, isExc(w, CHES) ? n - 1 : n - 2).join('');
          }
        }
    }
    return r.slice(0, n - 1).join('');
  }
  // analyze returns [term, position, start, end] for an analyzer kind: "vi"
  // (NFC, lower case), "vif" (and folded) or "en" (possessive, lower case,
  // stop words, plural stemming); "vi2", "vif2" and "en2" (en without stop
  // words) are the same followed by bigrams: Bleve's shingle filter
  // (analysis/token/shingle/shingle.go) with min = max = 2, no original
  // tokens, separator " ": each pair of adjacent tokens, at the position and
  // start of the first and the end of the second.
  function analyze(kind, text, stop) {
    var two = kind.charAt(kind.length - 1) === '2';
    if (two) { kind = kind.slice(0, -1); stop = {}; }
    var ws = words(text), out = [];
    for (var i = 0; i < ws.length; i++) {
      var t = ws[i][0].normalize('NFC');
      if (kind === 'en') {
        t = possessive(t).toLowerCase();
        if (stop[t]) continue;
        t = plural(t);
      } else {
        t = dd(t).toLowerCase();
        if (kind === 'vif') t = fold(t);
      }
      if (t) out.push([t, i + 1, ws[i][1], ws[i][1] + ws[i][0].length]);
    }
    if (!two) return out;
    var pairs = [];
    for (var k = 0; k + 1 < out.length; k++) pairs.push([out[k][0] + ' ' + out[k + 1][0], out[k][1], out[k][2], out[k + 1][3]]);
    return pairs;
  }

  // ---- Query parser (parse.go) ---------------------------------------------
  function isSpace(c) {
    var x = c.codePointAt(0);
    return x <= 32 || x === 0x85 || x === 0xa0 || x === 0x1680 || (x >= 0x2000 && x <= 0x200a) ||
      x === 0x2028 || x === 0x2029 || x === 0x202f || x === 0x205f || x === 0x3000 || x === 0xfeff;
  }
  function parse(q, K) {
    var p = { clauses: [], notices: [] };
    function note(n) { if (p.notices.indexOf(n) < 0) p.notices.push(n); }
    var r = Array.from(String(q).replace(/[\ud800-\udfff]/g, function (c, i, s) {
      var x = c.charCodeAt(0);
      if (x < 0xdc00 && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) < 0xe000) return c;
      if (x >= 0xdc00 && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) < 0xdc00) return c;
      return ' ';
    }));
    if (r.length > K.maxRunes) { r = r.slice(0, K.maxRunes); note('truncated'); }
    var n = r.length, i = 0;
    while (i < n) {
      var c = r[i];
      if (isSpace(c)) { i++; continue; }
      var occ = '';
      if (c === '+' || c === '-') {
        if (i + 1 >= n || isSpace(r[i + 1]) || r[i + 1] === '+' || r[i + 1] === '-') { i++; continue; }
        occ = c; c = r[++i];
      }
      var cl, j;
      if (c === '"') {
        for (j = i + 1; j < n && r[j] !== '"'; j++);
        if (j >= n) note('quote');
        cl = { occur: occ, phrase: true, text: r.slice(i + 1, Math.min(j, n)).join(''), fuzzy: 0, prefix: false };
        i = j + 1;
      } else {
        for (j = i; j < n && !isSpace(r[j]) && r[j] !== '"'; j++);
        cl = word(occ, r.slice(i, j).join(''), j === n, note);
        i = j;
      }
      if (!cl.text.trim()) continue;
      if (p.clauses.length === K.maxClauses) { note('clauses'); break; }
      p.clauses.push(cl);
    }
    return p;
  }
  function word(occ, w, atEnd, note) {
    var cl = { occur: occ, phrase: false, text: '', fuzzy: -1, prefix: atEnd && occ !== '-' }, k;
    k = w.indexOf(':');
    if (k > 0 && k < w.length - 1 && /^[A-Za-z_.]+$/.test(w.slice(0, k))) { w = w.slice(k + 1); note('syntax'); }
    k = w.lastIndexOf('^');
    if (k > 0 && /^[0-9.]*$/.test(w.slice(k + 1))) { w = w.slice(0, k); note('syntax'); }
    k = w.lastIndexOf('~');
    if (k > 0) {
      var d = w.slice(k + 1);
      if (d === '') { cl.fuzzy = 1; w = w.slice(0, k); } else if (/^[0-9]{1,3}$/.test(d)) { cl.fuzzy = Math.min(+d, 2); w = w.slice(0, k); }
      if (cl.fuzzy >= 0) cl.prefix = false;
    }
    if (w.endsWith('*')) { w = w.replace(/\*+$/, ''); if (cl.fuzzy < 0) cl.prefix = occ !== '-'; }
    if (/[*?/<>=]/.test(w)) note('syntax');
    cl.text = w;
    return cl;
  }

  // Restricted Damerau-Levenshtein distance in code points, or max+1 when above max.
  function osa(a, b, max) {
    var n = a.length, m = b.length;
    if (Math.abs(n - m) > max) return max + 1;
    var p2 = [], p1 = [], cur = [], i, j;
    for (j = 0; j <= m; j++) p1[j] = j;
    for (i = 1; i <= n; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= m; j++) {
        var c = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(p1[j] + 1, cur[j - 1] + 1, p1[j - 1] + c);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, p2[j - 2] + 1);
        cur[j] = v;
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
      p2 = p1; p1 = cur;
    }
    return p1[m];
  }

  // ---- Engine ---------------------------------------------------------------
  // load(file, name) returns a promise of the data of a bundle file (file name
  // without ".js"; name is what the file passes to loaSearch.add).
  function Engine(load) { this.load = load; this.data = {}; this.pending = {}; this.filled = {}; this.rows = {}; }

  Engine.prototype.get = function (name) {
    var self = this;
    if (name in this.data) return Promise.resolve(this.data[name]);
    // Every file but index is named by its own content hash (export.go), and
    // that name is what the file that refers to it holds.
    var file = name;
    return this.pending[name] || (this.pending[name] = this.load(file, name).then(function (d) {
      self.data[name] = d; return d;
    }, function (e) { delete self.pending[name]; throw e; }));
  };

  Engine.prototype.init = function () {
    var self = this;
    return this.ready || (this.ready = this.get('index').then(function (m) {
      if (!m || m.v !== SCHEMA) throw fail('schema', m && m.v);
      var stop = {};
      m.stop.forEach(function (w) { stop[w] = 1; });
      m.stopSet = stop;
      if (!m.gk) {
        // A dictionary in index.js (none when nothing was indexed) is one
        // group, loaded with it.
        m.gk = ['']; m.gf = [''];
        self.data['g.'] = { k: m.tk || [], f: m.tf || [] };
      }
      self.meta = m;
      return m;
    }, function (e) { self.ready = null; throw e; }));
  };

  // classOf returns [lang, kind, code] of a document (needs the c file).
  Engine.prototype.classOf = function (doc) {
    var r = this.data['c.' + this.meta.ch], lo = 0, hi = r.length / 2 - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (r[2 * mid] <= doc) lo = mid; else hi = mid - 1; }
    return this.meta.cls[r[2 * lo + 1]];
  };

  // cmp orders strings by code point, as Go orders the UTF-8 keys of index.js.
  function cmp(a, b) {
    for (var i = 0, j = 0; i < a.length && j < b.length;) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1; j += y > 0xffff ? 2 : 1;
    }
    var ra = a.length - i, rb = b.length - j; // what is left of each
    return ra === rb ? 0 : ra < rb ? -1 : 1;
  }
  // lastNotAfter returns the index of the last of the ascending keys that is
  // not after f (0 when all are).
  function lastNotAfter(keys, f) {
    var lo = 0, hi = keys.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (cmp(keys[mid], f) <= 0) lo = mid; else hi = mid - 1; }
    return lo;
  }
  // chunkHash returns the hash that names the t and p files of the chunk
  // that holds term (a chunk without positions has "-" before its hash):
  // the last chunk whose first key is not after the term's folded key, found
  // in the term dictionary's group of chunks (index.js gk and gf, the group's
  // g file; export.go termGroup; a dictionary in index.js, tk and tf, is made
  // one group by init). Undefined while the g file is missing, null when
  // nothing was indexed.
  Engine.prototype.chunkHash = function (term, missing) {
    var f = fold(term), m = this.meta;
    var g = this.file('g.' + m.gf[lastNotAfter(m.gk, f)], missing);
    return g === undefined ? undefined : g.k.length ? g.f[lastNotAfter(g.k, f)] : null;
  };
  // prefixChunks returns the term chunks that can hold a term starting with
  // t (the chunk of fold(t), and those after it whose first keys start with
  // it), undefined while one is missing. A chunk without positions ("-"
  // before its hash) holds only pairs of the bigram fields, which prefixes
  // never expand to.
  Engine.prototype.prefixChunks = function (t, missing) {
    var f = fold(t), m = this.meta, out = [], ok = true, started = false;
    for (var gi = lastNotAfter(m.gk, f); gi < m.gf.length; gi++) {
      if (started && !m.gk[gi].startsWith(f)) break;
      var g = this.file('g.' + m.gf[gi], missing);
      if (g === undefined) { ok = false; started = true; continue; }
      if (!g.k.length) break;
      for (var i = started ? 0 : lastNotAfter(g.k, f); i < g.k.length; i++) {
        if (started && !g.k[i].startsWith(f)) return ok ? out : undefined;
        started = true;
        if (g.f[i].charAt(0) === '-') continue;
        var c = this.file('t.' + g.f[i], missing);
        if (c === undefined) ok = false; else out.push(c);
      }
    }
    return ok ? out : undefined;
  };

  // search resolves to {hits: [{doc, score}], notices, terms} or rejects with
  // an error whose key is "empty", "onlynot", "schema" or "missing".
  Engine.prototype.search = function (text, opt) {
    var self = this;
    opt = opt || {};
    return this.init().then(function (m) {
      var parsed = parse(text, m.k);
      var round = 0;
      function attempt() {
        var missing = {};
        var plan = self.plan(parsed, opt, missing);
        var names = Object.keys(missing);
        if (!names.length) return self.score(plan, opt, parsed);
        if (++round > 8) throw fail('missing', names[0]);
        return Promise.all(names.map(function (n) { return self.get(n); })).then(attempt);
      }
      return attempt();
    });
  };

  // Accessors that note a file to load when its data is not there yet.
  Engine.prototype.file = function (name, missing) {
    if (name in this.data) return this.data[name];
    missing[name] = 1;
    return undefined;
  };
  // nums decodes export.go appendNums: base-64 digits, five bits each, most
  // significant first; a digit below 32 ends a number.
  var DIGIT = new Int8Array(128);
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach(function (c, i) { DIGIT[c.charCodeAt(0)] = i; });
  function nums(s) {
    var out = [], v = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charCodeAt(i)];
      v = v * 32 + (d & 31);
      if (d < 32) { out.push(v); v = 0; }
    }
    return out;
  }
  // positionLists splits the numbers of a p entry (count, deltas, count, …) into
  // one array of position deltas per posting.
  function positionLists(s) {
    var n = nums(s), out = [];
    for (var i = 0; i < n.length; i += n[i] + 1) out.push(n.slice(i + 1, i + 1 + n[i]));
    return out;
  }
  // listOf returns the entry [fi, list] of field fi for term in the t or p
  // file sh, following a reference [fi, fj, t] to field fj's list of term t
  // in the same file (export.go sameAs); null when absent.
  function listOf(sh, fi, term) {
    var e = Object.prototype.hasOwnProperty.call(sh, term) ? sh[term] : null;
    for (var i = 0; e && i < e.length; i++) {
      if (e[i][0] !== fi) continue;
      return e[i].length === 3 ? listOf(sh, e[i][1], e[i][2]) : e[i];
    }
    return null;
  }
  // postings of term in field fi: [docDelta, freq, length, ...] (or, with pos,
  // the position deltas of each posting), null when absent, undefined when
  // not loaded (its t or p file, or for a "~" list, whose lengths are in the
  // length table, a shard it needs). Lists are decoded on first use.
  Engine.prototype.post = function (fi, term, missing, pos) {
    var h = this.chunkHash(term, missing);
    if (!h) return h;
    if (pos && h.charAt(0) === '-') return null;
    var sh = this.file((pos ? 'p.' : 't.') + h.replace(/^-/, ''), missing);
    if (sh === undefined) return undefined;
    var l = listOf(sh, fi, term);
    if (!l) return null;
    if (typeof l[1] === 'string') {
      l[1] = pos ? positionLists(l[1]) : l[1].charAt(0) === '~' ? { pairs: nums(l[1].slice(1)) } : nums(l[1]);
    }
    if (Array.isArray(l[1])) return l[1];
    // A "~" list may be shared by fields of different lengths (a reference):
    // the lengths are added per field.
    var key = fi + '\u0000' + term;
    return this.filled[key] || (this.filled[key] = this.withLengths(l[1].pairs, fi, missing));
  };
  // withLengths turns the [docDelta, freq, ...] of field fi into [docDelta,
  // freq, length, ...] with the length table (export.go lengths.go: a
  // field's length is its column's plus an offset); undefined while a shard
  // is missing.
  Engine.prototype.withLengths = function (p, fi, missing) {
    var m = this.meta, col = m.fields[fi].ln[0], off = m.fields[fi].ln[1], out = new Array(p.length / 2 * 3), doc = 0, ok = true;
    for (var i = 0, j = 0; i < p.length; i += 2, j += 3) {
      doc += p[i];
      var rows = this.lengthRows(Math.floor(doc / m.ls), missing);
      if (rows === undefined) { ok = false; continue; }
      var r = doc % m.ls;
      out[j] = p[i]; out[j + 1] = p[i + 1]; out[j + 2] = rows.vals[rows.at[r] + rows.pos[rows.grp[r]][col]] + off;
    }
    return ok ? out : undefined;
  };
  // lengthRows decodes shard s of the length table (kept under its file's
  // name, which changes with its content): per document its group
  // (grp) and where its lengths start in vals (at); pos[group][column] is a
  // column's place among its group's. Undefined while the file is missing.
  Engine.prototype.lengthRows = function (s, missing) {
    var m = this.meta, name = 'n.' + m.lf[s];
    if (this.rows[name]) return this.rows[name];
    var d = this.file(name, missing);
    if (d === undefined) return undefined;
    var v = nums(d), grp = [], at = [], pos = m.lg.map(function (g) {
      var p = {};
      g.forEach(function (c, k) { p[c] = k; });
      return p;
    });
    for (var i = 0; i < v.length; i += 1 + m.lg[v[i]].length) { grp.push(v[i]); at.push(i + 1); }
    return (this.rows[name] = { vals: v, grp: grp, at: at, pos: pos });
  };
  // lexicon returns {t: terms -> field mask} of term's first letter (typo corrections).
  Engine.prototype.lexicon = function (term, missing) {
    var n = this.meta.lex[Array.from(term)[0]];
    return n == null ? null : this.file('l.' + n, missing);
  };

  // plan builds the query tree of index.go (compile) and notes missing files.
  Engine.prototype.plan = function (parsed, opt, missing) {
    var self = this, m = this.meta, K = m.k, F = m.fields, plan = { must: [], should: [], not: [] }, lang = opt.lang || '';
    // An article number no convention has (index.go compile, articleRef).
    var ref = articleRef(parsed);
    if (ref !== null) {
      var found = false, unknown = false;
      F.forEach(function (f, fi) {
        if ((lang && f.lang !== lang) || !(f.flags & 8)) return;
        var p = self.post(fi, ref, missing);
        if (p === undefined) unknown = true; else if (p) found = true;
      });
      if (!found && !unknown) plan.noarticle = ref;
    }
    if (opt.kind || opt.code) this.file('c.' + m.ch, missing);
    var filler = fillers(m.fill, parsed);
    parsed.clauses.forEach(function (cl, ci) {
      if (filler[ci]) return; // filler words (filler.go): pairs only
      var kids = [], accented = fold(cl.text) !== cl.text;
      F.forEach(function (f, fi) {
        if ((lang && f.lang !== lang) || (f.flags & 4)) return;
        var toks = analyze(f.an, cl.text, m.stopSet);
        if (!toks.length) return;
        var b = f.boost * ((f.flags & 2) && accented ? K.accentedTwin : 1);
        function leaf(t, boost) { self.post(fi, t, missing); return { fi: fi, term: t, b: boost }; }
        if (cl.phrase) {
          if (toks.length === 1) { kids.push({ leaves: [leaf(toks[0][0], b)] }); return; }
          var first = toks[0][1], slots = [];
          toks.forEach(function (t) { slots[t[1] - first] = leaf(t[0], b); self.post(fi, t[0], missing, true); });
          kids.push({ leaves: slots.filter(Boolean), slots: slots });
          return;
        }
        toks.forEach(function (tok, k) {
          var t = tok[0], cps = Array.from(t);
          kids.push({ leaves: [leaf(t, b)] });
          if (!(f.flags & 1) || /[0-9]/.test(t)) return; // numbers: no typos, no prefixes (index.go)
          var fz = cl.fuzzy;
          if (fz < 0) {
            var p = self.post(fi, t, missing);
            if (p === undefined) return;
            fz = p ? 0 : cps.length > 5 ? 2 : cps.length > 2 ? 1 : 0;
          }
          var bit = 1 << fi, lx;
          if (fz > 0 && !opt.warm && (lx = self.lexicon(t, missing)) !== undefined) {
            var fb = b * K.fuzzyBoost, c = [];
            if (lx) {
              for (var w in lx.t) {
                if (!(lx.t[w] & bit)) continue;
                var d = osa(cps, Array.from(w), fz);
                if (d <= fz) c.push(leaf(w, fb / (d + 1)));
              }
            }
            if (!c.length || (c.length === 1 && c[0].term === t)) c = [leaf(t, fb)];
            kids.push({ leaves: c, multi: 1 });
          }
          var chs;
          if (!opt.warm && cl.prefix && k === toks.length - 1 && cps.length >= K.minPrefix && (chs = self.prefixChunks(t, missing)) !== undefined) {
            var pc = [];
            chs.forEach(function (ch) {
              for (var w2 in ch) {
                if (!w2.startsWith(t)) continue;
                for (var x = 0; x < ch[w2].length; x++) if (ch[w2][x][0] === fi) { pc.push(leaf(w2, b * K.prefixBoost)); break; }
              }
            });
            pc.sort(function (x, y) { return cmp(x.term, y.term); });
            if (pc.length) kids.push({ leaves: pc, multi: 1 });
          }
        });
      });
      if (!kids.length) return;
      (cl.occur === '+' ? plan.must : cl.occur === '-' ? plan.not : plan.should).push(kids);
    });
    // Bigram clauses, as index.go bigramClauses: one should-clause per pair of
    // adjacent word clauses (not phrases, not excluded), a term per new pair
    // per bigram field.
    var seen = {}, cs = parsed.clauses, corrCache = {};
    // corrections: as index.go corrections, the terms of the folded
    // Vietnamese or English body field at edit distance 1 (same first
    // letter) from a one-token word clause of 3 runes or more, without a
    // digit, that the field does not hold; undefined while a file is missing.
    function corrections(cl, l) {
      var key = l + '\u0000' + cl.text;
      if (opt.warm) return [];
      if (key in corrCache) return corrCache[key];
      var name = l === 'vi' ? 'vi_body_f' : 'en_body', fi = -1, rv = [];
      F.forEach(function (f, i) { if (f.name === name) fi = i; });
      var toks = analyze(F[fi].an, cl.text, m.stopSet);
      if (toks.length === 1) {
        var t = toks[0][0], cps = Array.from(t);
        if (!/[0-9]/.test(t) && cps.length > 2) {
          var p = self.post(fi, t, missing), lx;
          if (p === undefined) return undefined;
          if (!p) {
            if ((lx = self.lexicon(t, missing)) === undefined) return undefined;
            for (var w in (lx && lx.t)) {
              if (!(lx.t[w] & (1 << fi)) || w === t) continue;
              var wc = Array.from(w);
              if (wc[0] === cps[0] && osa(cps, wc, 1) === 1) rv.push(w);
            }
          }
        }
      }
      rv.sort();
      return (corrCache[key] = rv);
    }
    for (var i = 0; i + 1 < cs.length; i++) {
      var a = cs[i], b = cs[i + 1];
      if (a.phrase || b.phrase || a.occur === '-' || b.occur === '-') continue;
      var text = a.text + ' ' + b.text, accented = fold(text) !== text, kids = [];
      F.forEach(function (f, fi) {
        if ((lang && f.lang !== lang) || !(f.flags & 4)) return;
        var bst = f.boost * ((f.flags & 2) && accented ? K.accentedTwin : 1);
        analyze(f.an, text, m.stopSet).forEach(function (t) {
          var key = fi + '\u0000' + t[0];
          if (seen[key]) return;
          seen[key] = 1;
          self.post(fi, t[0], missing);
          kids.push({ leaves: [{ fi: fi, term: t[0], b: bst }] });
        });
      });
      if (kids.length) plan.should.push(kids);
      // The corrected pairs, as index.go typoPairClause.
      var typo = [];
      F.forEach(function (f, fi) {
        if ((lang && f.lang !== lang) || !(f.flags & 4) || !((f.flags & 2) || f.lang === 'en')) return;
        var ca = corrections(a, f.lang), cb = corrections(b, f.lang);
        if (!ca || !cb || (!ca.length && !cb.length)) return;
        var va = [a.text].concat(ca), vb = [b.text].concat(cb);
        var bst = f.boost * K.fuzzyBoost / 2;
        if ((f.flags & 2) && accented) bst *= K.accentedTwin;
        va.forEach(function (x, xi) {
          vb.forEach(function (y, yi) {
            if (!xi && !yi) return;
            analyze(f.an, x + ' ' + y, m.stopSet).forEach(function (t) {
              var key = fi + '\u0000' + t[0];
              if (seen[key] || !self.post(fi, t[0], missing)) return;
              seen[key] = 1;
              typo.push({ leaves: [{ fi: fi, term: t[0], b: bst }] });
            });
          });
        });
      });
      if (typo.length) plan.should.push(typo);
    }
    // The article clause, as index.go articleClause: Conjunction(the number
    // on the keyword fields, the other words on the keyword and name fields).
    var k = articleNumber(parsed, function (text) {
      var found = false;
      F.forEach(function (f, fi) {
        if ((lang && f.lang !== lang) || !(f.flags & 8) || f.name !== f.lang + '_ref') return;
        var toks = analyze(f.an, text, m.stopSet), ok = toks.length > 0;
        toks.forEach(function (t) { var p = self.post(fi, t[0], missing); ok = ok && !!p; });
        found = found || ok;
      });
      return found;
    });
    if (k >= 0) {
      var num = [], other = [], seenA = {};
      F.forEach(function (f, fi) {
        if ((lang && f.lang !== lang) || !(f.flags & 8)) return;
        var bst = f.boost * K.article;
        if (f.name === f.lang + '_ref') {
          analyze(f.an, cs[k].text, m.stopSet).forEach(function (t) {
            self.post(fi, t[0], missing);
            num.push({ leaves: [{ fi: fi, term: t[0], b: bst }] });
          });
        }
        cs.forEach(function (cl, i) {
          if (i === k || cl.phrase || cl.occur === '-' || /^[0-9]+$/.test(cl.text) || isArticleWord(cl.text)) return;
          analyze(f.an, cl.text, m.stopSet).forEach(function (t) {
            var key = fi + '\u0000' + t[0];
            if (seenA[key]) return;
            seenA[key] = 1;
            self.post(fi, t[0], missing);
            other.push({ leaves: [{ fi: fi, term: t[0], b: bst }] });
          });
        });
      });
      if (num.length && other.length) plan.should.push([{ conj: [num, other] }]);
    }
    // Synonym clauses, as index.go synonymClauses.
    synonyms(m.syn, parsed).forEach(function (e) {
      var acc = fold(e) !== e, seenT = {}, kids = [];
      F.forEach(function (f, fi) {
        if ((lang && f.lang !== lang) || (f.flags & 8)) return;
        var bst = f.boost * K.synonym;
        if ((f.flags & 2) && acc) bst *= K.accentedTwin;
        analyze(f.an, e, m.stopSet).forEach(function (t) {
          var key = fi + '\u0000' + t[0];
          if (seenT[key]) return;
          seenT[key] = 1;
          self.post(fi, t[0], missing);
          kids.push({ leaves: [{ fi: fi, term: t[0], b: bst }] });
        });
      });
      if (kids.length) plan.should.push(kids);
    });
    return plan;
  };

  // fillers marks the filler-word clauses to leave out (filler.go fillers):
  // word clauses (not phrases, not +/-) that alone or with their neighbours
  // spell an entry of the list; none when nothing else is left to find.
  function fillers(list, parsed) {
    var c = parsed.clauses, rv = c.map(function () { return false; });
    var keys = c.map(function (cl) { return !cl.phrase && cl.occur === '' ? synKey(cl.text) : ''; });
    (list || []).forEach(function (f) {
      var ws = f.split(' ');
      for (var i = 0; i + ws.length <= keys.length; i++) {
        var ok = true;
        for (var k = 0; k < ws.length; k++) ok = ok && keys[i + k] === ws[k];
        if (ok) for (k = 0; k < ws.length; k++) rv[i + k] = true;
      }
    });
    for (var i = 0; i < c.length; i++) if (c[i].occur !== '-' && !rv[i]) return rv;
    return c.map(function () { return false; });
  }

  function isArticleWord(text) { var k = synKey(text); return k === 'dieu' || k === 'article' || k === 'art'; }
  // articleNumber returns the index of the clause of digits that asks for an
  // article (index.go articleNumber): after "điều"/"article"/"art", or next
  // to a word that refWord (the keyword fields hold all its tokens) accepts.
  function articleNumber(parsed, refWord) {
    var c = parsed.clauses;
    function word(i) { return i >= 0 && i < c.length && !c[i].phrase && c[i].occur !== '-' && c[i].text !== ''; }
    function isRef(i) {
      if (!word(i) || /^[0-9]+$/.test(c[i].text)) return false;
      return isArticleWord(c[i].text) || refWord(c[i].text);
    }
    for (var i = 0; i < c.length; i++) if (word(i) && /^[0-9]+$/.test(c[i].text) && (isRef(i - 1) || isRef(i + 1))) return i;
    return -1;
  }

  // articleRef returns N for "điều N" / "article N" in the query, else null.
  function articleRef(parsed) {
    var c = parsed.clauses;
    for (var i = 0; i + 1 < c.length; i++) {
      var a = c[i], b = c[i + 1];
      if (a.phrase || b.phrase || a.occur === '-' || b.occur === '-' || !/^[0-9]+$/.test(b.text)) continue;
      var k = synKey(a.text);
      if (k === 'dieu' || k === 'article' || k === 'art') return b.text.replace(/^0+/, '');
    }
    return null;
  }

  // synKey is the matching form of a phrase (synonyms.go synKey).
  function synKey(s) { return words(s).map(function (w) { return fold(w[0]).toLowerCase(); }).join(' '); }
  // synonyms returns the expansions of the parsed query (index.go synonymExpansions).
  function synonyms(rules, parsed) {
    if (!rules || !rules.length) return [];
    var runs = [], run = [], out = [], seen = {};
    parsed.clauses.forEach(function (cl) {
      if (cl.phrase || cl.occur === '-') { runs.push(run); run = []; return; }
      var k = synKey(cl.text);
      if (k) run = run.concat(k.split(' '));
    });
    runs.push(run);
    runs.forEach(function (r) {
      for (var i = 0; i < r.length; i++) {
        rules.forEach(function (rule) {
          var from = rule.from.split(' ');
          if (i + from.length > r.length || r.slice(i, i + from.length).join(' ') !== rule.from) return;
          rule.to.forEach(function (t) { if (!seen[t]) { seen[t] = 1; out.push(t); } });
        });
      }
    });
    return out;
  }

  Engine.prototype.score = function (plan, opt, parsed) {
    var self = this, m = this.meta, N = m.n, none = {}, K1 = m.k.k1, B = m.k.b;
    if (plan.noarticle != null) throw fail('noarticle', plan.noarticle);
    if (!plan.must.length && !plan.should.length) throw fail(plan.not.length ? 'onlynot' : 'empty');
    var sum = 0, terms = {};
    function prep(clauses, weigh) {
      clauses.forEach(function (kids) {
        kids.forEach(function (kid) {
          if (kid.conj) { prep(kid.conj, weigh); return; }
          kid.leaves.forEach(function (l) {
            var p = self.post(l.fi, l.term, none);
            l.p = p;
            // idf: bleve search/scorer/scorer_term.go computeIDF; BM25 when the
            // field's average length (search/searcher/search_term.go
            // bm25ScoreMetrics, exported by the builder) is not 0, else TF-IDF.
            var df = p ? p.length / 3 : 0;
            l.dl = m.dl[l.fi];
            l.idf = l.dl > 0 ? Math.log(1 + (N - df + 0.5) / (df + 0.5)) : 1 + Math.log(N / (df + 1));
            if (weigh) { var w = l.b * l.idf; sum += w * w; }
            (terms[l.fi] = terms[l.fi] || {})[l.term] = 1;
          });
        });
      });
    }
    prep(plan.must, true); prep(plan.should, true); prep(plan.not, false);
    var qn = 1 / Math.sqrt(sum);
    function leafScores(l) {
      var out = new Map(), p = l.p;
      if (!p) return out;
      var qw = l.b * l.idf * qn, doc = 0;
      for (var i = 0; i < p.length; i += 3) {
        doc += p[i];
        // scorer_term.go docScore: tf = sqrt(freq), norm = float32(1/sqrt(length)).
        var tf = Math.sqrt(p[i + 1]), norm = Math.fround(1 / Math.sqrt(p[i + 2])), s;
        if (l.dl > 0) {
          var fl = 1 / (norm * norm);
          s = l.idf * (tf * K1) / (tf + K1 * (1 - B + (B * fl / l.dl)));
        } else {
          s = tf * norm * l.idf;
        }
        if (qw !== 1) s = s * qw; // Score: times the query weight boost*idf*queryNorm
        out.set(doc, s);
      }
      return out;
    }
    function kidScores(kid) {
      if (kid.conj) return conj(kid.conj.map(clauseScores));
      var maps = kid.leaves.map(leafScores), out = new Map();
      if (kid.slots) { // phrase: conjunction filtered by positions
        var base = maps[0];
        base.forEach(function (s, doc) {
          for (var i = 1; i < maps.length; i++) { if (!maps[i].has(doc)) return; s += maps[i].get(doc); }
          if (phraseAt(kid, doc)) out.set(doc, s);
        });
        return out;
      }
      var n = maps.length;
      return disj(maps, n === 1 ? 0 : 1);
    }
    // disj sums the scores of each doc; coord=1 multiplies by matched/total.
    function disj(maps, coord) {
      var acc = new Map(), cnt = new Map();
      maps.forEach(function (mp) {
        mp.forEach(function (s, doc) { acc.set(doc, (acc.get(doc) || 0) + s); cnt.set(doc, (cnt.get(doc) || 0) + 1); });
      });
      if (coord) acc.forEach(function (s, doc) { acc.set(doc, s * (cnt.get(doc) / maps.length)); });
      return acc;
    }
    function phraseAt(kid, doc) {
      var sets = kid.slots.map(function (l) { return l ? positions(l, doc) : null; });
      var start = sets[0];
      for (var p0 of start) {
        var ok = true;
        for (var i = 1; i < sets.length && ok; i++) if (sets[i] && !sets[i].has(p0 + i)) ok = false;
        if (ok) return true;
      }
      return false;
    }
    function positions(l, doc) {
      if (!l.idx) {
        l.idx = new Map();
        var p = l.p, d = 0;
        for (var i = 0; i < p.length; i += 3) { d += p[i]; l.idx.set(d, i / 3); }
        l.pp = self.post(l.fi, l.term, none, true);
      }
      var deltas = l.pp[l.idx.get(doc)], set = new Set(), x = 0;
      for (var i = 0; i < deltas.length; i++) set.add((x += deltas[i]));
      return set;
    }
    function clauseScores(kids) { return disj(kids.map(kidScores), 1); }
    // conj: the documents in every map, their scores summed (search/scorer/scorer_conjunction.go).
    function conj(mm) {
      var out = new Map();
      mm[0].forEach(function (s, doc) {
        for (var i = 1; i < mm.length; i++) { if (!mm[i].has(doc)) return; s += mm[i].get(doc); }
        out.set(doc, s);
      });
      return out;
    }
    var result;
    if (plan.must.length) {
      result = conj(plan.must.map(clauseScores));
      if (plan.should.length) {
        var sh = disj(plan.should.map(clauseScores), 1);
        result.forEach(function (s, doc) { if (sh.has(doc)) result.set(doc, s + sh.get(doc)); });
      }
    } else {
      result = disj(plan.should.map(clauseScores), 1);
    }
    if (plan.not.length) {
      plan.not.forEach(function (kids) { clauseScores(kids).forEach(function (_, doc) { result.delete(doc); }); });
    }
    // Document priors (index.go Doc.Weight): Bleve's custom score query
    // multiplies the final score of a hit (search/searcher/search_custom_score.go).
    // m.wt: the distinct weights w and, per run, gap from the previous run's
    // end, length - 1, weight index (export.go weightRuns).
    var runs = m.wtRuns || (m.wtRuns = nums(m.wt.r));
    for (var ri = 0, runEnd = 0; ri < runs.length; ri += 3) {
      var runFirst = runEnd + runs[ri], runLast = runFirst + runs[ri + 1], weight = m.wt.w[runs[ri + 2]];
      for (var rd = runFirst; rd <= runLast; rd++) if (result.has(rd)) result.set(rd, result.get(rd) * weight);
      runEnd = runLast + 1;
    }
    var hits = [];
    result.forEach(function (s, doc) {
      if (opt.kind || opt.code) {
        var c = self.classOf(doc);
        if ((opt.kind && c[1] !== opt.kind) || (opt.code && c[2] !== opt.code)) return;
      }
      hits.push({ doc: doc, score: s });
    });
    sortHits(hits);
    return { hits: hits, notices: parsed.notices, terms: terms };
  };

  // sortHits: as index.go; scores within 1e-11 relative are ties, in doc order.
  function sortHits(h) {
    h.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    for (var i = 0; i < h.length;) {
      var j = i + 1;
      while (j < h.length && h[j - 1].score - h[j].score <= 1e-11 * Math.abs(h[i].score)) j++;
      if (j - i > 1) {
        var g = h.slice(i, j).sort(function (a, b) { return a.doc - b.doc; });
        for (var k = 0; k < g.length; k++) h[i + k] = g[k];
      }
      i = j;
    }
  }

  // docs resolves to {doc: {url, title, pageURL, pageTitle, cls, body}} for
  // the given document numbers; body is loaded only when bodies is true.
  Engine.prototype.docs = function (docNums, bodies) {
    var self = this, mc = this.meta.mc, out = {};
    return Promise.all(docNums.map(function (d) {
      return self.get('m.' + self.meta.mh[Math.floor(d / mc)]).then(function (c) {
        var e = c.d[d % mc], pg = c.p[e[2]], url = e[0].charAt(0) === '#' ? pg[0] + e[0] : e[0];
        out[d] = { url: url, title: e[1], pageURL: pg[0], pageTitle: pg[1], cls: self.meta.cls[e[3]], body: '' };
        if (bodies) return self.get('d.' + e[4]).then(function (b) { out[d].body = b[e[5]]; });
      });
    })).then(function () { return out; });
  };

  // warm loads the term chunks that text needs as typed so far, without its
  // typo corrections and prefix expansions (which change with every key), in
  // one round; search.js calls it on every key so the query after the last
  // key finds its chunks loaded or on the way.
  Engine.prototype.warm = function (text, opt) {
    var self = this;
    return this.init().then(function (m) {
      var missing = {}, o = {};
      for (var k in opt || {}) o[k] = opt[k];
      o.warm = true;
      self.plan(parse(text, m.k), o, missing);
      return Promise.all(Object.keys(missing).map(function (n) { return self.get(n); }));
    });
  };

  // marks returns [start, end] ranges of text whose analysed words are query terms.
  Engine.prototype.marks = function (text, lang, terms) {
    var self = this, out = [];
    this.meta.fields.forEach(function (f, fi) {
      if (f.lang !== lang || !terms[fi]) return;
      analyze(f.an, text, self.meta.stopSet).forEach(function (t) { if (terms[fi][t[0]]) out.push([t[2], t[3]]); });
    });
    out.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    out.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]); else merged.push(r.slice());
    });
    return merged;
  };

  LS.Engine = Engine;
  LS.parse = parse;
  LS.analyze = analyze;
  LS.fold = fold;
  LS.osa = osa;
  LS.nums = nums;
  LS.synonyms = synonyms;
  LS.fillers = fillers;
  LS.fail = fail;
})(typeof window === 'object' ? window : globalThis);
