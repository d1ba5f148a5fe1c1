// Draws every .chart[data-chart] with ECharts (served from this site, loaded only on pages with
// charts) and colours the city tile map. Each chart's numbers come from its own JSON file, the
// same data as the table under it; the legend names each series as the table's column titles do
// (spec.labels, which carry the sample mark on a chart of sample data). Imported by site.js on pages
// with charts; the options themselves are lib/chart-options.js.
import { narrowOption, option, withNumbers } from './lib/chart-options.js';
import { onReady } from './lib/dom.js';
import { formatNumber } from './lib/format.js';
import { fetchJSON } from './lib/net.js';

// Phones get horizontal bars: the same breakpoint as the site's stylesheet.
const NARROW = window.matchMedia('(max-width: 37.5em)');
let echartsLoading = null;
const drawn = [];

// ECharts is a classic script (its UMD build), which defines window.echarts.
function loadECharts(src) {
  if (!echartsLoading) {
    echartsLoading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve(window.echarts);
      script.onerror = () => reject(new Error('无法加载图表库'));
      document.head.appendChild(script);
    });
  }
  return echartsLoading;
}

/** Draws the chart for the screen it is on: horizontal bars on a phone, columns elsewhere. */
function layout(chart, node) {
  const narrow = NARROW.matches;
  if (chart.narrow === narrow) return chart.resize();
  chart.narrow = narrow;
  node.setAttribute('data-layout', narrow ? 'bars' : 'columns');
  if (narrow) {
    const drawing = narrowOption(chart.spec);
    node.style.height = drawing.height + 'px';
    chart.resize();
    chart.setOption(withNumbers(drawing.option), true);
  } else {
    node.style.height = '';
    chart.resize();
    chart.setOption(withNumbers(option(chart.spec)), true);
  }
}

// The chart library is the heaviest script on the site: it is fetched and run only once a chart is
// within a screen of being seen, so a reader who reads only the tables above never pays for it.
function whenNear(nodes, then) {
  if (!('IntersectionObserver' in window)) return then();
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    then();
  }, { rootMargin: '100% 0px' });
  nodes.forEach((node) => observer.observe(node));
}

function draw(nodes) {
  loadECharts(nodes[0].getAttribute('data-echarts')).then((echarts) => {
    for (const node of nodes) {
      fetchJSON(node.getAttribute('data-chart'))
        .then((spec) => {
          const chart = echarts.init(node, null, { renderer: 'svg' });
          chart.spec = spec;
          layout(chart, node);
          drawn.push(chart);
          node.setAttribute('data-drawn', 'true');
        })
        .catch((error) => {
          node.textContent = '图表加载失败（' + error.message + '），请查看下方数据表。';
        });
    }
  }).catch((error) => {
    nodes.forEach((node) => { node.textContent = error.message + '，请查看下方数据表。'; });
  });
}

function colourTiles(map) {
  const select = map.querySelector('#tile-indicator');
  const tiles = Array.from(map.querySelectorAll('.tile'));
  const paint = () => {
    const key = select.value;
    const values = tiles.map((t) => { const v = t.getAttribute('data-v-' + key); return v === '' ? null : Number(v); });
    const known = values.filter((v) => v !== null).sort((a, b) => a - b);
    tiles.forEach((tile, i) => {
      const value = values[i];
      let level = 0;
      if (value !== null && known.length) {
        // Five classes by rank, so a few large cities do not flatten the rest.
        level = 1 + Math.min(4, Math.floor(5 * known.indexOf(value) / known.length));
      }
      tile.setAttribute('data-level', String(level));
      tile.querySelector('.tile__value').textContent = value === null ? '—' : formatNumber(value);
      tile.setAttribute('aria-label', tile.querySelector('.tile__name').textContent + '：' +
        select.options[select.selectedIndex].text + ' ' + (value === null ? '无数据' : formatNumber(value)));
    });
    map.setAttribute('data-indicator', key);
  };
  select.addEventListener('change', paint);
  paint();
}

onReady(() => {
  const nodes = Array.from(document.querySelectorAll('.chart[data-chart]'));
  if (nodes.length) whenNear(nodes, () => draw(nodes));
  const map = document.getElementById('tile-map');
  if (map) colourTiles(map);
});
window.addEventListener('resize', () => drawn.forEach((chart) => layout(chart, chart.getDom())));
