// The technology-case finder on /cases/: facets, text filter and sorting over cases.json, driving the
// controls and cards the page already holds. New nodes get textContent only, so data never becomes
// markup. Filter state lives in the URL. Imported by site.js on the page that has the finder.
import { el, onReady } from './lib/dom.js';
import { fetchJSON } from './lib/net.js';
import { formatNumber as number } from './lib/format.js';

const FACETS = [
  { key: "sector", label: "行业", field: "sector_codes", list: true },
  { key: "category", label: "类别", field: "categories", list: true },
  { key: "maturity", label: "成熟度", field: "maturity", list: false },
  { key: "city", label: "地市", field: "city_code", list: false }
];
const SORTS = [
  { value: "", label: "默认（编号）" },
  { value: "payback", label: "投资回收期（短→长）", field: "payback_years", dir: 1 },
  { value: "investment", label: "投资额（少→多）", field: "investment_cny_10k", dir: 1 },
  { value: "co2", label: "减碳量（多→少）", field: "co2_reduction_t", dir: -1 }
];

function values(item, facet) {
  const value = item[facet.field];
  if (value === null || value === undefined) return [];
  return facet.list ? value : [value];
}

function label(data, facet, code) {
  if (facet.key === "sector") return data.codes.sector_code[code] || code;
  if (facet.key === "city") return data.codes.city_code[code] || code;
  return code;
}

// The page holds the controls, the count and the cards as this script shows them with no filter
// (templates/cases/index.md.j2): it wires them up and keeps the cards, so nothing moves when it starts.
function init(root, data) {
  const form = root.querySelector(".case-finder__controls");
  const kw = document.getElementById("case-kw");
  const sort = document.getElementById("case-sort");
  const count = document.getElementById("case-count");
  const list = document.getElementById("case-list");
  const selects = {};
  FACETS.forEach(function (f) { selects[f.key] = document.getElementById("case-facet-" + f.key); });
  const cards = {};
  Array.prototype.forEach.call(list.children, function (li) { cards[li.getAttribute("data-case-id")] = li; });

  // The address wins; otherwise what the reader chose before the script arrived.
  const params = new URLSearchParams(window.location.search);
  const state = { kw: params.get("kw") || kw.value.trim(), sort: params.get("sort") || sort.value };
  FACETS.forEach(function (f) { state[f.key] = params.get(f.key) || selects[f.key].value; });
  kw.value = state.kw;
  sort.value = state.sort;
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  function matches(item, except) {
    if (state.kw) {
      const text = (item.title + " " + item.summary).toLowerCase();
      if (text.indexOf(state.kw.toLowerCase()) < 0) return false;
    }
    return FACETS.every(function (facet) {
      return facet.key === except || !state[facet.key] || values(item, facet).indexOf(state[facet.key]) >= 0;
    });
  }

  function fillFacets() {
    FACETS.forEach(function (facet) {
      const counts = {};
      data.cases.forEach(function (item) {
        if (!matches(item, facet.key)) return;
        values(item, facet).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      const codes = facet.key === "sector" ? Object.keys(data.codes.sector_code)
        : facet.key === "category" ? data.categories
        : facet.key === "maturity" ? data.maturities
        : Object.keys(data.codes.city_code);
      const select = selects[facet.key];
      const options = [el("option", { value: "", text: "全部" })];
      codes.forEach(function (code) {
        if (!counts[code] && state[facet.key] !== code) return;
        options.push(el("option", { value: code, text: label(data, facet, code) + "（" + number(counts[code] || 0) + "）" }));
      });
      const same = options.length === select.options.length && options.every(function (o, i) {
        return o.value === select.options[i].value && o.textContent === select.options[i].textContent;
      });
      if (!same) select.replaceChildren.apply(select, options);
      select.value = state[facet.key];
    });
  }

  function sorted(items) {
    const rule = SORTS.filter(function (s) { return s.value === state.sort; })[0];
    if (!rule || !rule.field) return items;
    return items.slice().sort(function (a, b) {
      const x = a[rule.field], y = b[rule.field];
      if (x === null) return y === null ? 0 : 1;
      if (y === null) return -1;
      return (x - y) * rule.dir || (a.case_id < b.case_id ? -1 : 1);
    });
  }

  // The same markup as the page's cards (templates/_cases.md.j2 case_card), for cases it does not hold.
  function card(item) {
    if (cards[item.case_id]) return cards[item.case_id];
    const li = el("li", { className: "case-card", "data-case-id": item.case_id });
    const title = el("a", { href: item.url, text: item.title });
    li.appendChild(el("h2")).appendChild(title); // the page's h1 is the only heading above: no level skipped
    const meta = item.sector_codes.map(function (c) { return data.codes.sector_code[c] || c; }).join("、") +
      " · " + item.categories.join("、") + " · " + item.maturity;
    li.appendChild(el("p", { className: "case-card__meta", text: meta }));
    li.appendChild(el("p", { text: item.summary }));
    const figures = [];
    if (item.investment_cny_10k !== null) figures.push("投资 " + number(item.investment_cny_10k) + " 万元");
    if (item.payback_years !== null) figures.push("回收期 " + number(item.payback_years) + " 年");
    if (item.co2_reduction_t !== null) figures.push("减碳 " + number(item.co2_reduction_t) + " tCO2e/a");
    li.appendChild(el("p", { className: "case-card__figures", text: figures.join(" · ") }));
    cards[item.case_id] = li;
    return li;
  }

  function render() {
    const found = sorted(data.cases.filter(function (item) { return matches(item, null); }));
    fillFacets();
    // cases.json says when the cases are sample data (from x-sample): the count says so too.
    const text = "共 " + number(found.length) + " 个案例" + (data.sample ? "（" + data.sample.label + "）" : "");
    if (count.textContent !== text) count.textContent = text;
    count.setAttribute("data-count", String(found.length));
    const shown = found.map(card);
    // Only when the cards shown or their order changed: the first run leaves the page's list alone.
    const current = Array.prototype.slice.call(list.children);
    if (shown.length !== current.length || shown.some(function (li, i) { return li !== current[i]; })) {
      list.replaceChildren.apply(list, shown);
    }
    const query = new URLSearchParams();
    ["kw", "sort"].concat(FACETS.map(function (f) { return f.key; })).forEach(function (key) {
      if (state[key]) query.set(key, state[key]);
    });
    const search = query.toString();
    if (search !== window.location.search.replace(/^\?/, "")) {
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    }
  }

  let timer = null;
  kw.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.kw = kw.value.trim(); render(); }, 60);
  });
  FACETS.forEach(function (facet) {
    selects[facet.key].addEventListener("change", function () { state[facet.key] = selects[facet.key].value; render(); });
  });
  sort.addEventListener("change", function () { state.sort = sort.value; render(); });
  render();
}

function startFinder() {
  const root = document.getElementById("case-finder");
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "loading");
  fetchJSON(root.getAttribute("data-src"))
    .then(function (data) { init(root, data); root.setAttribute("data-ready", "true"); })
    .catch(function (error) {
      // The page's list stays; only the filters are lost.
      root.insertBefore(el("p", { className: "data-note", text: "案例数据加载失败，筛选不可用：" + error.message }), root.firstChild);
    });
}

onReady(startFinder);
