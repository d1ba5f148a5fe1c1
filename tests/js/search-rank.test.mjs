// lib/search-rank.js: folding as builder/publish/search_terms.py folds, and the ranking of a small index.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builder, load } from './helpers.mjs';

const { createSearch, folder } = await load('lib/search-rank.js');

test('queries fold as the builder folds the index: traditional, width, case, tones, punctuation, spaces', () => {
  const { pairs, folded } = builder().folding;
  const fold = folder(pairs);
  for (const [query, expected] of folded) assert.equal(fold(query), expected, query);
});

test('without the pairs, traditional characters stay as they are', () => {
  assert.equal(folder('')('清潔生產'), '清潔生产'.replace('产', '產'));
});

// A small index in the shape of search/pages.json and search/text.json (builder/publish/search_index.py).
const { pairs } = builder().folding;
const pages = {
  t2s: pairs,
  pages: [
    ['guide/', '清洁生产审核指南', '企业如何开展清洁生产审核', 1],
    ['cities/441900/', '东莞市', '东莞市的审核统计', 1],
    ['sectors/electroplating/', '电镀', '电镀行业的技术案例', 1],
    ['cases/TC-001/', '电镀废水回用', '一个电镀案例', 1],
    ['policies/p1/', '关于印发方案的通知', '方案全文', 1],
  ],
  terms: [[1, '', '东莞市', '东莞', 'dongguan'], [2, '', '电镀', 'electroplating']],
  words: '清洁 生产 审核 指南 废水 回用 方案 通知',
  sections: { guide: '指南', cities: '地市', sectors: '行业', cases: '案例', policies: '政策' },
  sample: [3],
  sample_label: '示例数据',
};
const text = { sections: [[4, 'art2', '第二条', '东莞的电镀企业应当开展清洁生产审核，电镀废水应当回用。']] };

function search() {
  const s = createSearch(pages);
  s.addText(text);
  return s;
}

test('a term in a title ranks above the same term in a page\'s text, and a named sector\'s page comes first', () => {
  const found = search().query('电镀').map((r) => r.page);
  assert.deepEqual(found.slice(0, 2), ['sectors/electroplating/', 'cases/TC-001/']);
  assert.ok(found.includes('policies/p1/'), 'the text finds it too');
  assert.ok(found.indexOf('policies/p1/') > 1);
});

test('every term of a query must match', () => {
  assert.deepEqual(search().query('废水 指南'), []);
  assert.deepEqual(search().query('废水 回用').map((r) => r.page), ['cases/TC-001/', 'policies/p1/']);
});

test('an unspaced query splits into the terms the site knows, and each named thing leads', () => {
  const s = search();
  assert.deepEqual(s.analyse('东莞电镀')[0].pieces.map((p) => p.text), ['东莞', '电镀']);
  const found = s.query('东莞电镀').map((r) => r.page);
  assert.deepEqual(found.slice(0, 2), ['cities/441900/', 'sectors/electroplating/']);
  assert.ok(found.includes('policies/p1/'), 'the page that holds both in its text');
});

test('traditional characters, full-width letters and synonyms find what the simplified term finds', () => {
  const s = search();
  const pagesOf = (q) => s.query(q).map((r) => r.page);
  assert.deepEqual(pagesOf('東莞'), pagesOf('东莞'));
  assert.deepEqual(pagesOf('ＤＯＮＧＧＵＡＮ'), pagesOf('东莞'));
  assert.deepEqual(pagesOf('清潔生產審核'), pagesOf('清洁生产审核'));
});

test('a result carries its section, a sample label, and a snippet around the match', () => {
  const [hit] = search().query('回用').filter((r) => r.page === 'policies/p1/');
  assert.equal(hit.section, '政策');
  assert.equal(hit.heading, '第二条');
  assert.equal(hit.url, 'policies/p1/#art2');
  assert.match(hit.snippet, /回用/);
  const sample = search().query('废水回用').find((r) => r.page === 'cases/TC-001/');
  assert.equal(sample.sample, '示例数据');
});

test('marks are the folded terms, longest first', () => {
  assert.deepEqual(search().marks('東莞 电镀'), ['electroplating', 'dongguan', '东莞市', '东莞', '电镀']);
});

test('a query without results is pointed to the closest sections first', () => {
  const s = search();
  assert.deepEqual(s.query('完全无关'), []);
  assert.deepEqual(s.suggestions('东莞', ['guide/', 'cities/441900/']).map((p) => p.url), ['cities/441900/', 'guide/']);
});
