// ECharts options for the site's charts, from a chart's JSON (builder/derive/charts.py): columns on wide
// screens, horizontal bars on a phone; every value axis and tooltip writes figures as the pages do
// (lib/format.js, not ECharts' 1,000). Pure: imports nothing from the DOM (tests/js/chart-options.test.mjs).
import { formatNumber } from './format.js';

const PALETTE = ['#1b5e20', '#66bb6a', '#00838f', '#f9a825', '#6a1b9a'];
const BAR_ROW = 24; // px per category on a phone: a full city or sector name per line

function seriesName(spec, i) {
  const s = spec.series[i];
  return spec.labels ? spec.labels[i] : s.name + "（" + s.unit + "）";
}

/**
 * A phone's chart: horizontal bars, each panel sorted by value (largest first) with the full names,
 * and one panel per value axis instead of a second axis; the legend lists the series one per line.
 * Returns the option and the height it needs.
 */
export function narrowOption(spec) {
  const panels = [0, 1].map(function (axis) {
    return spec.series.map(function (s, i) { return s.axis === axis ? i : -1; }).filter(function (i) { return i >= 0; });
  }).filter(function (panel) { return panel.length; });
  const legendHeight = spec.series.length * 22 + 8;
  const option = {
    color: PALETTE, aria: { enabled: true }, animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
               valueFormatter: function (value) { return value === null || value === undefined ? "—" : formatNumber(value); } },
    legend: { type: "plain", orient: "vertical", top: 0, left: 0, itemGap: 6 },
    toolbox: { right: 0, top: 0, feature: { saveAsImage: { title: "保存为图片", name: spec.chart_id } } },
    grid: [], xAxis: [], yAxis: [], series: [], title: []
  };
  let top = legendHeight;
  panels.forEach(function (panel, k) {
    // The panel's order: by the sum of its series (a stack's total), empty values last.
    const total = spec.categories.map(function (_, j) {
      const known = panel.map(function (i) { return spec.series[i].values[j]; }).filter(function (v) { return v !== null && v !== undefined; });
      return known.length ? known.reduce(function (a, b) { return a + b; }, 0) : null;
    });
    const order = spec.categories.map(function (_, j) { return j; }).sort(function (a, b) {
      if (total[a] === null || total[b] === null) return (total[a] === null) - (total[b] === null) || a - b;
      return total[b] - total[a] || a - b;
    });
    const units = panel.map(function (i) { return spec.series[i].unit; }).filter(function (u, n, all) { return all.indexOf(u) === n; });
    const height = order.length * BAR_ROW;
    if (panels.length > 1) { // each panel names what it shows
      option.title.push({ text: panel.map(function (i) { return seriesName(spec, i); }).join("、"), top: top + 4, left: 0,
                          textStyle: { fontSize: 13, fontWeight: "bold" } });
      top += 26;
    }
    option.grid.push({ left: 4, right: 24, top: top + 8, height: height, containLabel: true });
    option.xAxis.push({ type: "value", gridIndex: k, name: units.join("、"), nameLocation: "middle", nameGap: 26,
                        splitNumber: 3, axisLabel: { hideOverlap: true } });
    option.yAxis.push({ type: "category", gridIndex: k, inverse: true,
                        data: order.map(function (j) { return spec.categories[j]; }), axisLabel: { interval: 0 } });
    panel.forEach(function (i) {
      const s = spec.series[i];
      option.series.push({ name: seriesName(spec, i), type: "bar", stack: s.stack || undefined, xAxisIndex: k, yAxisIndex: k,
                           data: order.map(function (j) { return s.values[j]; }) });
    });
    top += height + 8 + 56; // the panel, its value axis and the unit under it
  });
  return { option: option, height: top };
}

export function option(spec) {
  const axes = [0, 1].filter(function (axis) {
    return spec.series.some(function (s) { return s.axis === axis; });
  });
  const units = axes.map(function (axis) {
    return spec.series.filter(function (s) { return s.axis === axis; })
      .map(function (s) { return s.unit; }).filter(function (u, i, all) { return all.indexOf(u) === i; }).join("、");
  });
  return {
    color: PALETTE,
    aria: { enabled: true },
    animation: false,
    tooltip: {
      trigger: "axis",
      valueFormatter: function (value) { return value === null || value === undefined ? "—" : formatNumber(value); }
    },
    legend: { top: 0, type: "plain" },
    toolbox: { right: 0, top: 24, feature: { saveAsImage: { title: "保存为图片", name: spec.chart_id } } },
    grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 8 ? 45 : 0 } },
    yAxis: axes.map(function (axis, i) {
      return { type: "value", name: units[i], position: axis === 1 ? "right" : "left",
               splitLine: { show: axis === 0 } };
    }),
    series: spec.series.map(function (s, i) {
      return {
        name: seriesName(spec, i),
        type: s.kind === "line" ? "line" : "bar",
        stack: s.stack || undefined,
        yAxisIndex: Math.max(0, axes.indexOf(s.axis)),
        data: s.values,
        connectNulls: false
      };
    })
  };
}

export function withNumbers(option) {
  [].concat(option.xAxis || [], option.yAxis || []).forEach(function (axis) {
    if (axis.type === "value") axis.axisLabel = Object.assign({ formatter: formatNumber }, axis.axisLabel);
  });
  return option;
}

