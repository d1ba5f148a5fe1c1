// lib/directory-state.js: the directory's view as an address, and back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from './helpers.mjs';

const { FACETS, listQuery, parseSort, readState, urlFor } = await load('lib/directory-state.js');

test('an address names the search, the filters, the sort, the page and the record', () => {
  const state = readState('?q=%E7%94%B5%E9%95%80&city=440300&year=2021&sort=-co2_reduction_t&page=3&record=GD-2021-00001&other=x');
  assert.deepEqual(state, {
    q: '电镀', filters: { city: '440300', year: '2021' }, sort: '-co2_reduction_t', page: 3, record: 'GD-2021-00001',
  });
});

test('no parameters, an empty value or a page below 2 are the defaults', () => {
  assert.deepEqual(readState(''), { q: '', filters: {}, sort: '', page: 1, record: null });
  assert.deepEqual(readState('?city=&page=1&q='), readState(''));
  assert.equal(readState('?page=abc').page, 1);
});

test('the list query leaves the record out and keeps a fixed order, so equal views have equal addresses', () => {
  const a = listQuery(readState('?page=2&sort=acceptance_year&dept=industry_it&city=440100&q=x&record=R1'));
  const b = listQuery(readState('?q=x&city=440100&dept=industry_it&sort=acceptance_year&page=2'));
  assert.equal(a.toString(), b.toString());
  assert.equal(a.toString(), 'q=x&city=440100&dept=industry_it&sort=acceptance_year&page=2');
  assert.equal(listQuery(readState('?page=1')).toString(), '');
});

test('every filter survives the round trip through the address', () => {
  const filters = Object.fromEntries(FACETS.map((facet, i) => [facet.param, `v${i}`]));
  const state = { q: '中 文&?', filters, sort: 'x', page: 4, record: null };
  assert.deepEqual(readState('?' + listQuery(state).toString()), state);
  assert.equal(new Set(FACETS.map((f) => f.param)).size, FACETS.length, 'each filter has its own parameter');
});

test('the address keeps the page path and fragment', () => {
  const where = { pathname: '/enterprises/', hash: '#top' };
  assert.equal(urlFor(new URLSearchParams('city=1'), where), '/enterprises/?city=1#top');
  assert.equal(urlFor(new URLSearchParams(), where), '/enterprises/#top');
});

test('a sort names a field the list holds, ascending or descending', () => {
  const has = (name) => name === 'co2_reduction_t';
  assert.deepEqual(parseSort('co2_reduction_t', has), { field: 'co2_reduction_t', descending: false });
  assert.deepEqual(parseSort('-co2_reduction_t', has), { field: 'co2_reduction_t', descending: true });
  assert.equal(parseSort('__proto__', has), null);
  assert.equal(parseSort('', has), null);
});
