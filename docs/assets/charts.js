// Draws every .chart[data-chart] with ECharts (served from this site, loaded only on pages with
// charts) and colours the city tile map. Each chart's numbers come from its own JSON file, the
// same data as the table under it; the legend names each series as the table's column titles do
// (spec.labels, which carry the sample mark on a chart of sample data). Loaded by site.js on pages with charts.
(function () {
  "use strict";

  var PALETTE = ["#1b5e20", "#66bb6a", "#00838f", "#f9a825", "#6a1b9a"];
  var echartsLoading = null;
  var drawn = [];

  function loadECharts(src) {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (!echartsLoading) {
      echartsLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.echarts); };
        script.onerror = function () { reject(new Error("无法加载图表库")); };
        document.head.appendChild(script);
      });
    }
    return echartsLoading;
  }

  function option(spec) {
    var axes = [0, 1].filter(function (axis) {
      return spec.series.some(function (s) { return s.axis === axis; });
    });
    var units = axes.map(function (axis) {
      return spec.series.filter(function (s) { return s.axis === axis; })
        .map(function (s) { return s.unit; }).filter(function (u, i, all) { return all.indexOf(u) === i; }).join("、");
    });
    return {
      color: PALETTE,
      aria: { enabled: true },
      animation: false,
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) { return value === null || value === undefined ? "—" : String(value); }
      },
      legend: { top: 0, type: "scroll" },
      toolbox: { right: 0, top: 24, feature: { saveAsImage: { title: "保存为图片", name: spec.chart_id } } },
      grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 8 ? 45 : 0 } },
      yAxis: axes.map(function (axis, i) {
        return { type: "value", name: units[i], position: axis === 1 ? "right" : "left",
                 splitLine: { show: axis === 0 } };
      }),
      series: spec.series.map(function (s, i) {
        return {
          name: spec.labels ? spec.labels[i] : s.name + "（" + s.unit + "）",
          type: s.kind === "line" ? "line" : "bar",
          stack: s.stack || undefined,
          yAxisIndex: Math.max(0, axes.indexOf(s.axis)),
          data: s.values,
          connectNulls: false
        };
      })
    };
  }

  function drawCharts() {
    drawn.forEach(function (chart) { chart.dispose(); });
    drawn = [];
    var nodes = Array.prototype.slice.call(document.querySelectorAll(".chart[data-chart]"));
    if (!nodes.length) return;
    loadECharts(nodes[0].getAttribute("data-echarts")).then(function (echarts) {
      nodes.forEach(function (node) {
        fetch(node.getAttribute("data-chart"))
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
          })
          .then(function (spec) {
            var chart = echarts.init(node, null, { renderer: "svg" });
            chart.setOption(option(spec));
            drawn.push(chart);
            node.setAttribute("data-drawn", "true");
          })
          .catch(function (error) {
            node.textContent = "图表加载失败（" + error.message + "），请查看下方数据表。";
          });
      });
    }).catch(function (error) {
      nodes.forEach(function (node) { node.textContent = error.message + "，请查看下方数据表。"; });
    });
  }

  function colourTiles() {
    var map = document.getElementById("tile-map");
    if (!map) return;
    var select = map.querySelector("#tile-indicator");
    var tiles = Array.prototype.slice.call(map.querySelectorAll(".tile"));
    function paint() {
      var key = select.value;
      var values = tiles.map(function (t) { var v = t.getAttribute("data-v-" + key); return v === "" ? null : Number(v); });
      var known = values.filter(function (v) { return v !== null; }).sort(function (a, b) { return a - b; });
      tiles.forEach(function (tile, i) {
        var value = values[i];
        var level = 0;
        if (value !== null && known.length) {
          // Five classes by rank, so a few large cities do not flatten the rest.
          level = 1 + Math.min(4, Math.floor(5 * known.indexOf(value) / known.length));
        }
        tile.setAttribute("data-level", String(level));
        tile.querySelector(".tile__value").textContent = value === null ? "—" : String(value);
        tile.setAttribute("aria-label", tile.querySelector(".tile__name").textContent + "：" +
          select.options[select.selectedIndex].text + " " + (value === null ? "无数据" : value));
      });
      map.setAttribute("data-indicator", key);
    }
    select.addEventListener("change", paint);
    paint();
  }

  function start() {
    drawCharts();
    colourTiles();
  }

  window.addEventListener("resize", function () { drawn.forEach(function (chart) { chart.resize(); }); });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
