// Unit tests of the search client's parser and analysis: node --test internal/search/jstest/
// (internal/search/nodetest_test.go runs them with go test). Scoring is tested
// against Bleve by internal/search/parity_test.go.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
require('../../../static/js/search-engine.js');
const LS = globalThis.loaSearch;
const K = { maxRunes: 256, maxClauses: 16 };

test('fold removes Vietnamese diacritics, composed or not', () => {
  assert.strictEqual(LS.fold('quyền'), 'quyen');
  assert.strictEqual(LS.fold('Đường'), 'Duong');
  assert.strictEqual(LS.fold('que\u0302\u0300n'), 'quen');
  assert.strictEqual(LS.fold('abc'), 'abc');
});

test('analyzers', () => {
  const terms = (kind, text, stop) => LS.analyze(kind, text, stop || {}).map((t) => t[0]);
  assert.deepStrictEqual(terms('vi', 'Quyền TRẺ em'), ['quyền', 'trẻ', 'em']);
  assert.deepStrictEqual(terms('vif', 'Quyền TRẺ em, Đường'), ['quyen', 'tre', 'em', 'duong']);
  assert.deepStrictEqual(terms('en', "The child's rights of parties", { the: 1, of: 1 }), ['child', 'right', 'party']);
  assert.deepStrictEqual(terms('en', 'boxes axes shoes caches churches pies spies'), ['box', 'axe', 'shoe', 'cache', 'church', 'pie', 'spy']);
  // Positions count removed stop words, so phrases keep their gaps.
  assert.deepStrictEqual(LS.analyze('en', 'right to education', { to: 1 }).map((t) => t[1]), [1, 3]);
});

test('parser', () => {
  const p = LS.parse('+quyền -"trẻ em" abc~ x* title:y w^2 "open', K);
  assert.deepStrictEqual(p.clauses.map((c) => [c.occur, c.phrase, c.text, c.fuzzy, c.prefix]), [
    ['+', false, 'quyền', -1, false], ['-', true, 'trẻ em', 0, false], ['', false, 'abc', 1, false],
    ['', false, 'x', -1, true], ['', false, 'y', -1, false], ['', false, 'w', -1, false], ['', true, 'open', 0, false]]);
  assert.deepStrictEqual(p.notices.sort(), ['quote', 'syntax']);
  assert.deepStrictEqual(LS.parse('', K).clauses, []);
  assert.deepStrictEqual(LS.parse('+ - "" !!!', K).clauses.map((c) => c.text), ['!!!']);
  assert.strictEqual(LS.parse('a '.repeat(5000), K).clauses.length, 16);
  assert.deepStrictEqual(LS.parse('x'.repeat(10000), K).notices, ['truncated']);
  assert.strictEqual(LS.parse('quyen tre', K).clauses[1].prefix, true);
  assert.strictEqual(LS.parse('quyen tre ', K).clauses[1].prefix, false);
});

test('restricted Damerau-Levenshtein distance', () => {
  const d = (a, b, m) => LS.osa(Array.from(a), Array.from(b), m);
  assert.strictEqual(d('quyen', 'qyuen', 2), 1);
  assert.strictEqual(d('education', 'educaton', 2), 1);
  assert.strictEqual(d('abc', 'abc', 1), 0);
  assert.strictEqual(d('abcdef', 'ab', 2), 3);
});

test('bigram analyzers pair adjacent words, as Bleve\'s shingle filter', () => {
  const terms = (kind, text, stop) => LS.analyze(kind, text, stop || {}).map((t) => t[0]);
  assert.deepStrictEqual(terms('vi2', 'Bạo lực gia đình'), ['bạo lực', 'lực gia', 'gia đình']);
  assert.deepStrictEqual(terms('vif2', 'Bạo lực gia đình'), ['bao luc', 'luc gia', 'gia dinh']);
  // English pairs keep stop words, so "to be" can be searched.
  assert.deepStrictEqual(terms('en2', 'The right to life', { the: 1, to: 1 }), ['the right', 'right to', 'to life']);
  assert.deepStrictEqual(terms('vi2', 'một'), []);
  const t = LS.analyze('vi2', 'a bc d');
  assert.deepStrictEqual(t[1], ['bc d', 2, 2, 6]);
});

test('look-alikes of Đ fold and analyse like Đ', () => {
  assert.strictEqual(LS.fold('\u00d0\u0189\u00f0\u0256'), 'DDdd');
  assert.deepStrictEqual(LS.analyze('vi', '\u00d0ường', {}).map((t) => t[0]), ['đường']);
  assert.deepStrictEqual(LS.analyze('vif', '\u0189ường', {}).map((t) => t[0]), ['duong']);
});

test('filler words are marked as filler.go fillers marks them', () => {
  // The list is the one Build ships in index.js ("fill"; filler.go fillerWords).
  const list = ['co', 'khong', 'gi', 'la', 'nao', 'the nao', 'nhu the nao', 'lam sao', 'o dau', 'bao nhieu', 'duoc', 'cua', 'thi', 'va'];
  const f = (q) => LS.fillers(list, LS.parse(q, K));
  assert.deepStrictEqual(f('tre em co duoc hoc khong'), [false, false, true, true, false, true]);
  assert.deepStrictEqual(f('Tra tấn là gì'), [false, false, true, true]);
  assert.deepStrictEqual(f('ly hon nhu the nao'), [false, false, true, true, true]);
  assert.deepStrictEqual(f('co khong'), [false, false]);
  assert.deepStrictEqual(f('+co tre'), [false, false]);
  assert.deepStrictEqual(f('"co" tre'), [false, false]);
  assert.deepStrictEqual(f('co -tre'), [false, false]);
});

test('nums decodes the digits export.go appendNums writes', () => {
  // The strings are those of TestAppendNums (export_internal_test.go).
  assert.deepStrictEqual(LS.nums('AfhA_fhgA'), [0, 31, 32, 1023, 1024]);
  assert.deepStrictEqual(LS.nums('hhhhhhA'), [1108378656]);
  assert.deepStrictEqual(LS.nums(''), []);
});

test('prefixes skip chunks of pairs only, across groups of the term dictionary; a reference reads the list it names', () => {
  const e = new LS.Engine(() => Promise.reject(new Error('no loads')));
  // Chunks a, quyen | quyen con (pairs only), quyenx | r, in groups of two.
  e.meta = { gk: ['a', 'quyen con', 'r'], gf: ['g0', 'g1', 'g2'] };
  e.data = {
    'g.g0': { k: ['a', 'quyen'], f: ['h0', 'h1'] },
    'g.g2': { k: ['r'], f: ['h4'] },
    't.h1': { quyen: [[3, 'BC']], 'quyền': [[2, 'BC'], [9, 3, 'quyen']] },
    't.h3': { quyenx: [[3, 'B']] },
  };
  let missing = {};
  assert.equal(e.prefixChunks('quyen', missing), undefined); // its second group is not loaded
  assert.deepEqual(Object.keys(missing), ['g.g1']);
  e.data['g.g1'] = { k: ['quyen con', 'quyenx'], f: ['-h2', 'h3'] };
  missing = {};
  const chunks = e.prefixChunks('quyen', missing);
  assert.deepEqual(Object.keys(missing), []); // the pairs chunk h2 is not asked for, nor h4
  assert.equal(chunks.length, 2);
  assert.deepEqual(e.post(9, 'quyền', missing), [1, 2]);
  // A term before every first key is in the first chunk; one after all in the last.
  assert.equal(e.chunkHash('0', missing), 'h0');
  assert.equal(e.chunkHash('quyen cu', missing), '-h2');
  assert.equal(e.chunkHash('zz', missing), 'h4');
  missing = {};
  delete e.data['g.g2'];
  assert.equal(e.post(0, 'rights', missing), undefined);
  assert.deepEqual(Object.keys(missing), ['g.g2']);
});
