// The technology-case finder on /cases/: facets, text filter and sorting over cases.json.
// Builds the DOM with textContent only, so data never becomes markup. Filter state lives in the URL.
(function () {
  "use strict";

  var FACETS = [
    { key: "sector", label: "行业", field: "sector_codes", list: true },
    { key: "category", label: "类别", field: "categories", list: true },
    { key: "maturity", label: "成熟度", field: "maturity", list: false },
    { key: "city", label: "地市", field: "city_code", list: false }
  ];
  var SORTS = [
    { value: "", label: "默认（编号）" },
    { value: "payback", label: "投资回收期（短→长）", field: "payback_years", dir: 1 },
    { value: "investment", label: "投资额（少→多）", field: "investment_cny_10k", dir: 1 },
    { value: "co2", label: "减碳量（多→少）", field: "co2_reduction_t", dir: -1 }
  ];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function values(item, facet) {
    var value = item[facet.field];
    if (value === null || value === undefined) return [];
    return facet.list ? value : [value];
  }

  function label(data, facet, code) {
    if (facet.key === "sector") return data.codes.sector_code[code] || code;
    if (facet.key === "city") return data.codes.city_code[code] || code;
    return code;
  }

  function init(root, data) {
    var params = new URLSearchParams(window.location.search);
    var state = { kw: params.get("kw") || "", sort: params.get("sort") || "" };
    FACETS.forEach(function (f) { state[f.key] = params.get(f.key) || ""; });

    var form = el("form", { "class": "case-finder__controls", role: "search", "aria-label": "筛选技术案例" });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var kwLabel = el("label", { "for": "case-kw" }, "关键词");
    var kw = el("input", { id: "case-kw", type: "search", placeholder: "技术名称或摘要中的词" });
    kw.value = state.kw;
    form.appendChild(el("div", { "class": "case-finder__field" })).append(kwLabel, kw);

    var selects = {};
    FACETS.forEach(function (facet) {
      var wrap = el("div", { "class": "case-finder__field" });
      wrap.appendChild(el("label", { "for": "case-facet-" + facet.key }, facet.label));
      var select = el("select", { id: "case-facet-" + facet.key });
      wrap.appendChild(select);
      form.appendChild(wrap);
      selects[facet.key] = select;
    });
    var sortWrap = el("div", { "class": "case-finder__field" });
    sortWrap.appendChild(el("label", { "for": "case-sort" }, "排序"));
    var sort = el("select", { id: "case-sort" });
    SORTS.forEach(function (s) { sort.appendChild(el("option", { value: s.value }, s.label)); });
    sort.value = state.sort;
    sortWrap.appendChild(sort);
    form.appendChild(sortWrap);

    var count = el("p", { id: "case-count", "aria-live": "polite" });
    var list = el("ol", { id: "case-list", "class": "case-list" });
    root.replaceChildren(form, count, list);

    function matches(item, except) {
      if (state.kw) {
        var text = (item.title + " " + item.summary).toLowerCase();
        if (text.indexOf(state.kw.toLowerCase()) < 0) return false;
      }
      return FACETS.every(function (facet) {
        return facet.key === except || !state[facet.key] || values(item, facet).indexOf(state[facet.key]) >= 0;
      });
    }

    function fillFacets() {
      FACETS.forEach(function (facet) {
        var counts = {};
        data.cases.forEach(function (item) {
          if (!matches(item, facet.key)) return;
          values(item, facet).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
        });
        var codes = facet.key === "sector" ? Object.keys(data.codes.sector_code)
          : facet.key === "category" ? data.categories
          : facet.key === "maturity" ? data.maturities
          : Object.keys(data.codes.city_code);
        var select = selects[facet.key];
        select.replaceChildren(el("option", { value: "" }, "全部"));
        codes.forEach(function (code) {
          if (!counts[code] && state[facet.key] !== code) return;
          select.appendChild(el("option", { value: code }, label(data, facet, code) + "（" + (counts[code] || 0) + "）"));
        });
        select.value = state[facet.key];
      });
    }

    function sorted(items) {
      var rule = SORTS.filter(function (s) { return s.value === state.sort; })[0];
      if (!rule || !rule.field) return items;
      return items.slice().sort(function (a, b) {
        var x = a[rule.field], y = b[rule.field];
        if (x === null) return y === null ? 0 : 1;
        if (y === null) return -1;
        return (x - y) * rule.dir || (a.case_id < b.case_id ? -1 : 1);
      });
    }

    function card(item) {
      var li = el("li", { "class": "case-card", "data-case-id": item.case_id });
      var title = el("a", { href: item.url }, item.title);
      li.appendChild(el("h2")).appendChild(title); // the page's h1 is the only heading above: no level skipped
      var meta = item.sector_codes.map(function (c) { return data.codes.sector_code[c] || c; }).join("、") +
        " · " + item.categories.join("、") + " · " + item.maturity;
      li.appendChild(el("p", { "class": "case-card__meta" }, meta));
      li.appendChild(el("p", {}, item.summary));
      var figures = [];
      if (item.investment_cny_10k !== null) figures.push("投资 " + item.investment_cny_10k + " 万元");
      if (item.payback_years !== null) figures.push("回收期 " + item.payback_years + " 年");
      if (item.co2_reduction_t !== null) figures.push("减碳 " + item.co2_reduction_t + " tCO2e/a");
      li.appendChild(el("p", { "class": "case-card__figures" }, figures.join(" · ")));
      return li;
    }

    function render() {
      var found = sorted(data.cases.filter(function (item) { return matches(item, null); }));
      fillFacets();
      // cases.json says when the cases are sample data (from x-sample): the count says so too.
      count.textContent = "共 " + found.length + " 个案例" + (data.sample ? "（" + data.sample.label + "）" : "");
      count.setAttribute("data-count", String(found.length));
      list.replaceChildren.apply(list, found.map(card));
      var query = new URLSearchParams();
      ["kw", "sort"].concat(FACETS.map(function (f) { return f.key; })).forEach(function (key) {
        if (state[key]) query.set(key, state[key]);
      });
      var search = query.toString();
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    }

    var timer = null;
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

  function start() {
    var root = document.getElementById("case-finder");
    if (!root || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "loading");
    fetch(root.getAttribute("data-src"))
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { init(root, data); root.setAttribute("data-ready", "true"); })
      .catch(function (error) {
        root.replaceChildren(el("p", { "class": "data-note" }, "案例数据加载失败：" + error.message));
      });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
