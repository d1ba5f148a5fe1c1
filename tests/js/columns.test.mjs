// lib/columns.js reads the columns builder/derive/enterprise_directory.py encode_column writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builder, load } from './helpers.mjs';

const { columnValue, decodeColumn, findInRuns } = await load('lib/columns.js');

test('the fixtures cover every form of column', () => {
  const forms = new Set(builder().columns.map(([, column]) => Object.keys(column).sort().join('+')));
  assert.deepEqual([...forms].sort(), ['codes+dict', 'runs', 'values']);
});

test('every column decodes to the values Python encoded, row by row', () => {
  for (const [values, encoded] of builder().columns) {
    const column = decodeColumn(encoded, values.length);
    assert.deepEqual(values.map((_, i) => columnValue(column, i)), values);
  }
});

test('an identifier is found in its run, and only there', () => {
  for (const [values, encoded] of builder().columns) {
    if (!encoded.runs) continue;
    const column = decodeColumn(encoded, values.length);
    values.forEach((id, row) => assert.equal(findInRuns(column, id), row, id));
    for (const missing of ['GD-2021-00020', 'GD-2021-0020', 'GD-2021-', 'GD-2021-000001', 'GD-2021-0001x', 'Y', '']) {
      if (!values.includes(missing)) assert.equal(findInRuns(column, missing), -1, missing);
    }
  }
});

test('a column whose length does not match the row count is refused', () => {
  for (const [values, encoded] of builder().columns) {
    assert.throws(() => decodeColumn(encoded, values.length + 1), /格式不符/);
  }
  assert.throws(() => decodeColumn(null, 0), /格式不符/);
  assert.throws(() => decodeColumn({ values: 'abc' }, 3), /格式不符/);
});
