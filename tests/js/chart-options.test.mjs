// lib/chart-options.js: what ECharts is told to draw, from a chart's JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builder, load } from './helpers.mjs';

const { narrowOption, option, withNumbers } = await load('lib/chart-options.js');

const spec = {
  chart_id: 'cities-acceptances',
  categories: ['广州市', '深圳市', '河源市'],
  series: [
    { name: '工业和信息化', unit: '家', axis: 0, stack: 'a', values: [40, 37, null] },
    { name: '生态环境', unit: '家', axis: 0, stack: 'a', values: [20, 66, 5] },
    { name: '目标', unit: '家', axis: 1, kind: 'line', values: [12000, 100, 10] },
  ],
};

test('value axes and tooltips write figures as the pages do', () => {
  const drawn = withNumbers(option(spec));
  const values = drawn.yAxis.filter((axis) => axis.type === 'value');
  assert.equal(values.length, 2);
  for (const [figure, written] of builder().numbers) {
    for (const axis of values) assert.equal(axis.axisLabel.formatter(figure), written);
    assert.equal(drawn.tooltip.valueFormatter(figure), written);
  }
  assert.equal(drawn.tooltip.valueFormatter(null), '—');
});

test('wide screens: one column per category, a line on the second axis, the unit on each axis', () => {
  const drawn = option(spec);
  assert.deepEqual(drawn.xAxis.data, spec.categories);
  assert.deepEqual(drawn.series.map((s) => [s.type, s.yAxisIndex]), [['bar', 0], ['bar', 0], ['line', 1]]);
  assert.deepEqual(drawn.yAxis.map((axis) => axis.name), ['家', '家']);
  assert.deepEqual(drawn.series.map((s) => s.name), ['工业和信息化（家）', '生态环境（家）', '目标（家）']);
});

test('phones: one panel per axis, bars sorted by their stack total', () => {
  const { option: drawn, height } = narrowOption({ ...spec, labels: ['a', 'b', 'c'] });
  assert.equal(drawn.grid.length, 2);
  assert.deepEqual(drawn.yAxis[0].data, ['深圳市', '广州市', '河源市']); // 103, 60, 5
  assert.deepEqual(drawn.yAxis[1].data, ['广州市', '深圳市', '河源市']);
  assert.deepEqual(drawn.series.map((s) => s.name), ['a', 'b', 'c']);
  assert.ok(height > 2 * 3 * 24, 'room for every bar of both panels');
});
