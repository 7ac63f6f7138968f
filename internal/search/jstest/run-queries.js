// Runs static/js/search-engine.js in Node against a built bundle.
//
//   node internal/search/jstest/run-queries.js BUNDLE_DIR < queries.json > results.json
//
// queries.json is [{"q": "...", "lang": "", "kind": "", "code": ""}, ...]; the
// output is one {"hits": [[doc, score], ...]} or {"error": key} per query.
// internal/search/parity_test.go compares the output with Bleve. With
// LOA_TRACE=1 every query starts from an empty cache (as a first query on a
// page does), also loads the documents of its first 10 hits (what the search page shows first), and reports the
// bundle files it loaded in "files".
'use strict';
const fs = require('fs');
const path = require('path');
require(path.join(__dirname, '..', '..', '..', 'static', 'js', 'search-engine.js'));
const LS = globalThis.loaSearch;
const dir = process.argv[2];

let loaded = [];
function load(file, name) {
  loaded.push(file);
  return new Promise((resolve, reject) => {
    fs.readFile(path.join(dir, file + '.js'), 'utf8', (err, src) => {
      if (err) { const e = new Error('missing: ' + name); e.key = 'missing'; reject(e); return; }
      let got;
      new Function('loaSearch', src)({ add: (n, d) => { if (n === name) got = d; } });
      resolve(got);
    });
  });
}

async function main() {
  const queries = JSON.parse(fs.readFileSync(0, 'utf8'));
  const trace = process.env.LOA_TRACE === '1';
  let engine = new LS.Engine(load);
  const out = [];
  const K = { maxRunes: 256, maxClauses: 16 };
  for (const q of queries) {
    const parsed = LS.parse(q.q, K);
    if (trace) { engine = new LS.Engine(load); loaded = []; }
    try {
      const res = await engine.search(q.q, { lang: q.lang, kind: q.kind, code: q.code });
      // Time a second run, with every file in memory (as a query typed after the first).
      const t0 = process.hrtime.bigint();
      await engine.search(q.q, { lang: q.lang, kind: q.kind, code: q.code });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (trace) await engine.docs(res.hits.slice(0, 10).map((h) => h.doc), true);
      out.push({ hits: res.hits.map((h) => [h.doc, h.score]), ms, files: trace ? loaded.slice() : undefined, parsed });
    } catch (e) {
      out.push({ error: e.key || String(e), parsed });
    }
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch((e) => { console.error(e); process.exit(1); });
