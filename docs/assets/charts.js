// Draws every .chart[data-chart] with ECharts (served from this site, loaded only on pages with
// charts) and colours the city tile map. Each chart's numbers come from its own JSON file, the
// same data as the table under it; the legend names each series as the table's column titles do
// (spec.labels, which carry the sample mark on a chart of sample data). Loaded by site.js on pages with charts.
(function () {
  "use strict";

  var PALETTE = ["#1b5e20", "#66bb6a", "#00838f", "#f9a825", "#6a1b9a"];
  // Phones get horizontal bars (below): the same breakpoint as the site's stylesheet.
  var NARROW = window.matchMedia("(max-width: 37.5em)");
  var BAR_ROW = 24; // px per category on a phone: a full city or sector name per line
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

  function seriesName(spec, i) {
    var s = spec.series[i];
    return spec.labels ? spec.labels[i] : s.name + "（" + s.unit + "）";
  }

  /**
   * A phone's chart: horizontal bars, each panel sorted by value (largest first) with the full names,
   * and one panel per value axis instead of a second axis; the legend lists the series one per line.
   * Returns the option and the height it needs.
   */
  function narrowOption(spec) {
    var panels = [0, 1].map(function (axis) {
      return spec.series.map(function (s, i) { return s.axis === axis ? i : -1; }).filter(function (i) { return i >= 0; });
    }).filter(function (panel) { return panel.length; });
    var legendHeight = spec.series.length * 22 + 8;
    var option = {
      color: PALETTE, aria: { enabled: true }, animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
                 valueFormatter: function (value) { return value === null || value === undefined ? "—" : number(value); } },
      legend: { type: "plain", orient: "vertical", top: 0, left: 0, itemGap: 6 },
      toolbox: { right: 0, top: 0, feature: { saveAsImage: { title: "保存为图片", name: spec.chart_id } } },
      grid: [], xAxis: [], yAxis: [], series: [], title: []
    };
    var top = legendHeight;
    panels.forEach(function (panel, k) {
      // The panel's order: by the sum of its series (a stack's total), empty values last.
      var total = spec.categories.map(function (_, j) {
        var known = panel.map(function (i) { return spec.series[i].values[j]; }).filter(function (v) { return v !== null && v !== undefined; });
        return known.length ? known.reduce(function (a, b) { return a + b; }, 0) : null;
      });
      var order = spec.categories.map(function (_, j) { return j; }).sort(function (a, b) {
        if (total[a] === null || total[b] === null) return (total[a] === null) - (total[b] === null) || a - b;
        return total[b] - total[a] || a - b;
      });
      var units = panel.map(function (i) { return spec.series[i].unit; }).filter(function (u, n, all) { return all.indexOf(u) === n; });
      var height = order.length * BAR_ROW;
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
        var s = spec.series[i];
        option.series.push({ name: seriesName(spec, i), type: "bar", stack: s.stack || undefined, xAxisIndex: k, yAxisIndex: k,
                             data: order.map(function (j) { return s.values[j]; }) });
      });
      top += height + 8 + 56; // the panel, its value axis and the unit under it
    });
    return { option: option, height: top };
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
        valueFormatter: function (value) { return value === null || value === undefined ? "—" : number(value); }
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

  /** Draws the chart for the screen it is on: horizontal bars on a phone, columns elsewhere. */
  function layout(chart, node) {
    var narrow = NARROW.matches;
    if (chart.narrow === narrow) return chart.resize();
    chart.narrow = narrow;
    node.setAttribute("data-layout", narrow ? "bars" : "columns");
    if (narrow) {
      var drawing = narrowOption(chart.spec);
      node.style.height = drawing.height + "px";
      chart.resize();
      chart.setOption(withNumbers(drawing.option), true);
    } else {
      node.style.height = "";
      chart.resize();
      chart.setOption(withNumbers(option(chart.spec)), true);
    }
  }

  function drawCharts() {
    drawn.forEach(function (chart) { chart.dispose(); });
    drawn = [];
    var nodes = Array.prototype.slice.call(document.querySelectorAll(".chart[data-chart]"));
    if (!nodes.length) return;
    whenNear(nodes, function () { draw(nodes); });
  }

  // The chart library is the heaviest script on the site: it is fetched and run only once a chart is
  // within a screen of being seen, so a reader who reads only the tables above never pays for it.
  function whenNear(nodes, then) {
    if (!("IntersectionObserver" in window)) return then();
    var observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      observer.disconnect();
      then();
    }, { rootMargin: "100% 0px" });
    nodes.forEach(function (node) { observer.observe(node); });
  }

  function draw(nodes) {
    loadECharts(nodes[0].getAttribute("data-echarts")).then(function (echarts) {
      nodes.forEach(function (node) {
        fetch(node.getAttribute("data-chart"))
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
          })
          .then(function (spec) {
            var chart = echarts.init(node, null, { renderer: "svg" });
            chart.spec = spec;
            layout(chart, node);
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

  // A figure as the pages write it (builder/render/formatting.py): no ".0" on whole numbers, thousands
  // separators from five integer digits up (12,345 but 1901), on value axes too (ECharts would write 1,000).
  function number(value) {
    var parts = String(value).split(".");
    var whole = parts[0].replace("-", "");
    if (whole.length >= 5) whole = whole.replace(/\B(?=(\d{3})+$)/g, ",");
    return (parts[0].charAt(0) === "-" ? "-" : "") + whole + (parts.length > 1 ? "." + parts[1] : "");
  }

  function withNumbers(option) {
    [].concat(option.xAxis || [], option.yAxis || []).forEach(function (axis) {
      if (axis.type === "value") axis.axisLabel = Object.assign({ formatter: number }, axis.axisLabel);
    });
    return option;
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
        tile.querySelector(".tile__value").textContent = value === null ? "—" : number(value);
        tile.setAttribute("aria-label", tile.querySelector(".tile__name").textContent + "：" +
          select.options[select.selectedIndex].text + " " + (value === null ? "无数据" : number(value)));
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

  window.addEventListener("resize", function () { drawn.forEach(function (chart) { layout(chart, chart.getDom()); }); });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
