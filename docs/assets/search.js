// The site's search: the dialog in the header and the /search/ page.
// Loaded by site.js when a reader opens the search (or on /search/). It first fetches
// search/pages.json (address, title and summary of every page) and shows results from it;
// then search/text.json (the text of every section) and adds what only the text holds.
// Queries match as substrings after NFKC folding and lower-casing, so Chinese needs no segmenter:
// every page whose title, summary or text contains every term of the query is found.
// A result on a page that shows sample records (pages.json "sample") is labelled with "sample_label".
(function () {
  "use strict";
  if (window.gdSearch) return;

  var DIALOG_RESULTS = 10;
  var PAGE_RESULTS = 20;
  var SNIPPET = 60;

  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base + "/", location.href);
  }

  function fold(text) {
    return String(text || "").normalize("NFKC").toLowerCase();
  }

  function terms(query) {
    return fold(query).split(/[\s\u3000]+/).filter(Boolean);
  }

  // --- the index ------------------------------------------------------------------------------------

  var index = { pages: null, text: null, pagesLoading: null, textLoading: null };

  function fetchJSON(name) {
    return fetch(new URL(name, siteBase()).href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function loadPages() {
    if (!index.pagesLoading) {
      index.pagesLoading = fetchJSON("search/pages.json").then(function (data) {
        index.sections = data.sections || {};
        index.sampleLabel = data.sample_label || "";
        index.pages = data.pages.map(function (p, i) {
          return { i: i, url: p[0], title: p[1], summary: p[2], boost: p[3] || 1, ft: fold(p[1]), fs: fold(p[2]), parts: [],
                   sample: false };
        });
        (data.sample || []).forEach(function (i) { if (index.pages[i]) index.pages[i].sample = true; });
        return index.pages;
      });
    }
    return index.pagesLoading;
  }

  function loadText() {
    if (!index.textLoading) {
      index.textLoading = loadPages().then(function () {
        return fetchJSON("search/text.json");
      }).then(function (data) {
        data.sections.forEach(function (s) {
          var page = index.pages[s[0]];
          if (page) page.parts.push({ anchor: s[1], heading: s[2], text: s[3], fh: fold(s[2]), fx: fold(s[3]) });
        });
        index.text = true;
        return true;
      });
    }
    return index.textLoading;
  }

  function sectionOf(url) {
    var first = url.split("/")[0];
    return index.sections[first] || "";
  }

  function occurrences(haystack, needle) {
    var count = 0;
    var at = haystack.indexOf(needle);
    while (at !== -1 && count < 5) {
      count += 1;
      at = haystack.indexOf(needle, at + needle.length);
    }
    return count;
  }

  // Score one page for the query's terms; null when a term is found nowhere in it.
  function score(page, words, whole) {
    var total = 0;
    var part = null;
    for (var w = 0; w < words.length; w++) {
      var word = words[w];
      var found = false;
      if (page.ft.indexOf(word) !== -1) { total += 100; found = true; }
      if (page.fs.indexOf(word) !== -1) { total += 30; found = true; }
      for (var p = 0; p < page.parts.length; p++) {
        var s = page.parts[p];
        var inHeading = s.fh.indexOf(word) !== -1;
        var inText = occurrences(s.fx, word);
        if (inHeading || inText) {
          total += (inHeading ? 20 : 0) + inText;
          if (!found && !part) part = s;
          found = true;
        }
      }
      if (!found) return null;
    }
    if (page.ft === whole) total += 1000;
    else if (page.ft.indexOf(whole) === 0) total += 50;
    return { page: page, score: total * page.boost, part: part };
  }

  // Every page holding every term, best first; ties keep the index order (the site's tab order).
  function query(text) {
    var words = terms(text);
    if (!words.length || !index.pages) return [];
    var whole = words.join(" ");
    var found = [];
    index.pages.forEach(function (page) {
      var hit = score(page, words, whole);
      if (hit) found.push(hit);
    });
    found.sort(function (a, b) { return b.score - a.score || a.page.i - b.page.i; });
    return found.map(function (hit) {
      var snippetSource = hit.part ? hit.part.text : (hit.page.summary || "");
      return {
        url: hit.page.url + (hit.part && hit.part.anchor ? "#" + hit.part.anchor : ""),
        page: hit.page.url,
        title: hit.page.title,
        section: sectionOf(hit.page.url),
        heading: hit.part ? hit.part.heading : "",
        sample: hit.page.sample ? index.sampleLabel : "",
        snippet: snippet(snippetSource, words)
      };
    });
  }

  function snippet(text, words) {
    var folded = fold(text);
    var at = -1;
    words.forEach(function (word) {
      var i = folded.indexOf(word);
      if (i !== -1 && (at === -1 || i < at)) at = i;
    });
    if (text.length <= SNIPPET * 2 || at < SNIPPET / 2) return text.length > SNIPPET * 2 ? text.slice(0, SNIPPET * 2) + "…" : text;
    var start = Math.max(0, at - SNIPPET / 2);
    return "…" + text.slice(start, start + SNIPPET * 2) + (start + SNIPPET * 2 < text.length ? "…" : "");
  }

  // --- rendering --------------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Text with every occurrence of the terms wrapped in <mark>, built without innerHTML.
  function highlighted(tag, text, words) {
    var node = el(tag);
    var folded = fold(text);
    var marks = [];
    words.forEach(function (word) {
      var at = folded.indexOf(word);
      while (at !== -1) {
        marks.push([at, at + word.length]);
        at = folded.indexOf(word, at + word.length);
      }
    });
    // NFKC can change lengths (rare: ligatures); then show the text plain rather than mis-marked.
    if (folded.length !== text.length) marks = [];
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      if (m[0] > pos) node.appendChild(document.createTextNode(text.slice(pos, m[0])));
      node.appendChild(el("mark", "", text.slice(m[0], m[1])));
      pos = m[1];
    });
    if (pos < text.length) node.appendChild(document.createTextNode(text.slice(pos)));
    return node;
  }

  function resultItem(result, words) {
    var item = el("li", "md-search-result__item");
    var link = el("a", "md-search-result__link");
    link.href = new URL(result.url, siteBase()).href;
    link.setAttribute("data-search-result", result.page);
    var article = el("article", "md-search-result__article md-typeset");
    article.appendChild(highlighted("h1", result.title, words));
    var where = result.section + (result.heading ? " › " + result.heading : "");
    if (where || result.sample) {
      var line = el("p", "site-search__where");
      // Bold and in the link's own text, so that it is seen and read out with the result.
      if (result.sample) line.append(el("strong", "site-search__sample", result.sample), where ? " · " : "");
      line.append(where);
      article.appendChild(line);
    }
    if (result.snippet) article.appendChild(highlighted("p", result.snippet, words));
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function meta(count, stillLoading) {
    if (!count) return stillLoading ? "正在检索全文……" : "没有找到符合条件的结果";
    return "找到 " + count + " 个结果" + (stillLoading ? "（正在检索全文……）" : "");
  }

  function searchPageUrl(text) {
    return new URL("search/?q=" + encodeURIComponent(text), siteBase()).href;
  }

  // --- the header dialog ------------------------------------------------------------------------------

  function Dialog(root) {
    this.root = root;
    this.toggle = document.getElementById("__search");
    this.input = root.querySelector("[data-site-search-input]");
    this.metaNode = root.querySelector(".md-search-result__meta");
    this.list = root.querySelector(".md-search-result__list");
    this.form = root.querySelector("form");
    var self = this;
    this.input.addEventListener("input", function () { self.run(); });
    this.input.addEventListener("keyup", function () { self.run(); });
    this.form.addEventListener("reset", function () { setTimeout(function () { self.run(); self.input.focus(); }, 0); });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (self.input.value.trim()) location.href = searchPageUrl(self.input.value.trim());
    });
    this.toggle.addEventListener("change", function () { if (self.toggle.checked) self.open(); });
    root.addEventListener("keydown", function (event) { self.keydown(event); });
    this.shown = null;
  }

  Dialog.prototype.open = function () {
    if (!this.toggle.checked) this.toggle.checked = true;
    this.input.focus();
    var self = this;
    loadPages().then(function () { self.run(); }, function (error) { self.fail(error); });
  };

  Dialog.prototype.close = function () {
    this.toggle.checked = false;
  };

  Dialog.prototype.fail = function (error) {
    this.metaNode.textContent = "搜索索引载入失败（" + error.message + "），请稍后重试。";
  };

  Dialog.prototype.run = function () {
    var text = this.input.value.trim();
    if (text === this.shown && (!this.shownBeforeText || !index.text)) return;
    if (!text) {
      this.shown = text;
      this.list.replaceChildren();
      this.metaNode.textContent = "键入以开始搜索";
      return;
    }
    if (!index.pages) {
      var self = this;
      this.metaNode.textContent = "正在载入搜索索引……";
      loadPages().then(function () { self.run(); }, function (error) { self.fail(error); });
      return;
    }
    var words = terms(text);
    var results = query(text);
    this.shown = text;
    this.shownBeforeText = !index.text;
    this.metaNode.textContent = meta(results.length, !index.text);
    var items = results.slice(0, DIALOG_RESULTS).map(function (r) { return resultItem(r, words); });
    if (results.length > DIALOG_RESULTS) {
      var more = el("li", "md-search-result__item site-search__more");
      var link = el("a", "md-search-result__link", "查看全部 " + results.length + " 个结果");
      link.href = searchPageUrl(text);
      more.appendChild(link);
      items.push(more);
    }
    this.list.replaceChildren.apply(this.list, items);
    if (!index.text) {
      var dialog = this;
      loadText().then(function () { dialog.run(); }, function () {});
    }
  };

  Dialog.prototype.keydown = function (event) {
    var links = Array.prototype.slice.call(this.list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      this.close();
      this.input.blur();
      event.preventDefault();
    } else if (event.key === "ArrowDown" && links.length) {
      links[Math.min(links.length - 1, at + 1)].focus();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && at !== -1) {
      (at === 0 ? this.input : links[at - 1]).focus();
      event.preventDefault();
    }
  };

  // --- the /search/ page ------------------------------------------------------------------------------

  function SearchPage(root) {
    this.root = root;
    var params = new URLSearchParams(location.search);
    var form = el("form", "site-search-page__form");
    form.setAttribute("role", "search");
    var label = el("label", "", "搜索本站");
    label.setAttribute("for", "site-search-page-input");
    this.input = el("input", "site-search-page__input");
    this.input.type = "search";
    this.input.id = "site-search-page-input";
    this.input.name = "q";
    this.input.value = params.get("q") || "";
    this.input.setAttribute("enterkeyhint", "search");
    form.append(label, this.input);
    this.metaNode = el("p", "site-search-page__meta");
    this.metaNode.setAttribute("aria-live", "polite");
    this.list = el("ol", "site-search-page__list md-search-result__list");
    this.moreButton = el("button", "md-button site-search-page__more", "显示更多结果");
    this.moreButton.type = "button";
    this.moreButton.hidden = true;
    root.replaceChildren(form, this.metaNode, this.list, this.moreButton);
    var self = this;
    form.addEventListener("submit", function (event) { event.preventDefault(); self.run(); });
    this.input.addEventListener("input", function () { self.run(); });
    this.input.addEventListener("keyup", function () { self.run(); });
    this.moreButton.addEventListener("click", function () { self.limit += PAGE_RESULTS; self.show(); });
    this.limit = PAGE_RESULTS;
    this.metaNode.textContent = "正在载入搜索索引……";
    Promise.all([loadPages(), loadText()]).then(function () { self.shown = null; self.run(); },
      function (error) { self.metaNode.textContent = "搜索索引载入失败（" + error.message + "），请稍后重试。"; });
  }

  SearchPage.prototype.run = function () {
    var text = this.input.value.trim();
    if (text === this.shown || !index.text) return;
    this.shown = text;
    this.limit = PAGE_RESULTS;
    var address = new URL(location.href);
    if (text) address.searchParams.set("q", text); else address.searchParams.delete("q");
    history.replaceState(history.state, "", address.href);
    this.results = query(text);
    this.show();
  };

  SearchPage.prototype.show = function () {
    var text = this.input.value.trim();
    var words = terms(text);
    this.metaNode.textContent = text ? meta(this.results.length, false) : "键入以开始搜索";
    this.list.replaceChildren.apply(this.list, this.results.slice(0, this.limit).map(function (r) { return resultItem(r, words); }));
    this.moreButton.hidden = this.results.length <= this.limit;
  };

  // --- start-up -------------------------------------------------------------------------------------

  var dialog = null;

  function start() {
    var root = document.querySelector("[data-site-search]");
    if (root && !dialog) dialog = new Dialog(root);
    // site.js loads this script when the reader opens the search: take the open dialog over.
    if (dialog && dialog.toggle.checked) dialog.open();
    var page = document.getElementById("search-page");
    if (page && !page.getAttribute("data-ready")) {
      page.setAttribute("data-ready", "true");
      new SearchPage(page);
    }
  }

  window.gdSearch = {
    // For the tests and the benchmark: the same ranking the dialog shows, over the whole index.
    query: function (text) {
      return Promise.all([loadPages(), loadText()]).then(function () { return query(text); });
    },
    open: function () { if (dialog) dialog.open(); }
  };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
