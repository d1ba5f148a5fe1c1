// lib/format.js writes figures as builder/render/formatting.py number() does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builder, load } from './helpers.mjs';

const { formatNumber } = await load('lib/format.js');

test('every figure is written as the pages write it', () => {
  for (const [value, expected] of builder().numbers) {
    assert.equal(formatNumber(value), expected, `formatNumber(${value})`);
  }
});

test('thousands separators only from five integer digits up, and no ".0"', () => {
  assert.equal(formatNumber(1901), '1901');
  assert.equal(formatNumber(12345), '12,345');
  assert.equal(formatNumber(12000.0), '12,000');
  assert.equal(formatNumber(-1234.5), '-1234.5');
});

test('what is not a finite number is written as JavaScript writes it', () => {
  assert.equal(formatNumber(Infinity), 'Infinity');
  assert.equal(formatNumber(NaN), 'NaN');
});
