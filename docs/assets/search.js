// The site's search: the dialog in the header and the /search/ page.
// Loaded by site.js when a reader opens the search (or on /search/). It first fetches
// search/pages.json (address, title and summary of every page) and shows results from it;
// then search/text.json (the text of every section) and adds what only the text holds.
// Index and query are folded alike (traditional → simplified, width, case, punctuation and spaces
// dropped; builder/search_terms.py does the same at build time). A query's space-separated terms must
// all match; each term matches, best first, as itself or a synonym (the glossary, a city's or sector's
// other names), as all the known terms it splits into (东莞电镀 → 东莞 + 电镀), or by half its
// two-character pieces. The pages of the cities, sectors and glossary terms it names come first.
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

  // --- folding (the same steps as builder/search_terms.py) -------------------------------------------

  var MARKS = /\p{Mn}/gu;
  var DROPPED = /[\p{P}\p{Z}\p{Cc}\p{Cf}]/gu;
  var t2s = {};
  var t2sPattern = null;

  // Pinyin tones, width, case and punctuation, then traditional → simplified from the pairs the
  // index ships (pages.json "t2s": only the variants of characters the site's text holds).
  function fold(text) {
    var folded = String(text || "").normalize("NFKD").replace(MARKS, "").normalize("NFKC").toLowerCase()
      .replace(DROPPED, "");
    return t2sPattern ? folded.replace(t2sPattern, function (c) { return t2s[c]; }) : folded;
  }

  // The folded text and, per folded character, the position of the character it came from:
  // a match in the folded text is marked on the text as printed.
  function foldWithPositions(text) {
    var folded = "";
    var from = [];
    var at = 0;
    Array.from(String(text || "")).forEach(function (char) {
      var piece = fold(char);
      for (var k = 0; k < piece.length; k++) from.push(at);
      folded += piece;
      at += char.length;
    });
    from.push(at);
    return { text: folded, from: from };
  }

  function useFolding(data) {
    var pairs = data.t2s || "";
    var keys = "";
    for (var k = 0; k + 1 < pairs.length; k += 2) {
      t2s[pairs[k]] = pairs[k + 1];
      keys += pairs[k];
    }
    t2sPattern = keys ? new RegExp("[" + keys + "]", "g") : null;
  }

  // --- the terms the site knows ---------------------------------------------------------------------

  var lexicon = new Map(); // folded form → group number, or -1 for a word of a page title
  var groups = [];
  var longest = 0;

  function useTerms(data) {
    groups = (data.terms || []).map(function (g) { return { page: g[0], anchor: g[1], forms: g.slice(2) }; });
    groups.forEach(function (group, n) {
      group.forms.forEach(function (form) { if (!lexicon.has(form)) lexicon.set(form, n); });
    });
    (data.words || "").split(" ").forEach(function (word) { if (word && !lexicon.has(word)) lexicon.set(word, -1); });
    lexicon.forEach(function (n, form) { longest = Math.max(longest, form.length); });
  }

  function piece(text, known) {
    var n = known ? lexicon.get(text) : -1;
    return { text: text, known: known, group: n >= 0 ? groups[n] : null,
             alts: n >= 0 ? groups[n].forms : [text] };
  }

  // Greedy longest match against the known terms; characters in no term gather into unknown pieces.
  function segment(term) {
    var pieces = [];
    var unknown = "";
    var at = 0;
    while (at < term.length) {
      var size = Math.min(longest, term.length - at);
      while (size >= 2 && !lexicon.has(term.substr(at, size))) size -= 1;
      if (size >= 2) {
        if (unknown) { pieces.push(piece(unknown, false)); unknown = ""; }
        pieces.push(piece(term.substr(at, size), true));
        at += size;
      } else {
        unknown += term[at];
        at += 1;
      }
    }
    if (unknown) pieces.push(piece(unknown, false));
    return pieces;
  }

  var HAN = /[\u3400-\u9fff]/;

  // The two-character pieces of a term with Chinese characters (a Latin word gains nothing from them).
  function bigrams(term) {
    var grams = [];
    if (!HAN.test(term)) return grams;
    for (var k = 0; k + 2 <= term.length; k++) if (grams.indexOf(term.substr(k, 2)) === -1) grams.push(term.substr(k, 2));
    return grams;
  }

  // The query's terms (separated by spaces), each with its synonyms, its pieces and its bigrams.
  function analyse(text) {
    var raw = String(text || "").normalize("NFKC").split(/\s+/).map(fold).filter(Boolean);
    if (raw.length > 1 && lexicon.has(raw.join(""))) raw = [raw.join("")]; // "Iron and steel", "Guang zhou"
    return raw.map(function (term) {
      var whole = piece(term, lexicon.has(term));
      var pieces = whole.known ? [whole] : segment(term);
      return { text: term, alts: whole.alts, group: whole.group, pieces: pieces, grams: bigrams(term) };
    });
  }

  // Everything a result marks: each term and its synonyms, the known pieces and theirs.
  function needles(terms) {
    var found = [];
    terms.forEach(function (term) {
      term.alts.concat.apply(term.alts, term.pieces.map(function (p) { return p.text.length >= 2 ? p.alts : []; }))
        .forEach(function (n) { if (found.indexOf(n) === -1) found.push(n); });
    });
    return found.sort(function (a, b) { return b.length - a.length; });
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
        useFolding(data);
        useTerms(data);
        index.sections = data.sections || {};
        index.sampleLabel = data.sample_label || "";
        index.pages = data.pages.map(function (p, i) {
          return { i: i, url: p[0], title: p[1], summary: p[2], boost: p[3] || 1, ft: fold(p[1]), fs: fold(p[2]), parts: [],
                   sample: false };
        });
        (data.sample || []).forEach(function (i) { if (index.pages[i]) index.pages[i].sample = true; });
        index.pages.forEach(function (page) { page.fk = fold((data.keys || {})[page.i] || ""); });
        index.byUrl = {};
        index.pages.forEach(function (page) { index.byUrl[page.url] = page; });
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

  // Where one of the forms occurs in a page: a score, or null. Identifiers (a document number) 300,
  // the title 100 and more the more of it the form covers, the summary 30, headings 20 each (at most
  // 40), each occurrence in the text 1 (at most 20): what a page is about outweighs how often it
  // mentions a word. `part` is the first section holding it, when the title and summary do not.
  function find(page, forms) {
    var total = 0;
    var part = null;
    var found = false;
    var onTop = false;
    forms.forEach(function (form) {
      if (page.fk && page.fk.indexOf(form) !== -1) { total += 300; onTop = true; }
      if (page.ft.indexOf(form) !== -1) { total += 100 + Math.round(50 * form.length / page.ft.length); onTop = true; }
      if (page.fs.indexOf(form) !== -1) { total += 30; onTop = true; }
      var headings = 0;
      var text = 0;
      for (var p = 0; p < page.parts.length; p++) {
        var s = page.parts[p];
        var inHeading = s.fh.indexOf(form) !== -1;
        var inText = occurrences(s.fx, form);
        if (inHeading || inText) {
          headings += inHeading ? 20 : 0;
          text += inText;
          if (!part) part = s;
          found = true;
        }
      }
      total += Math.min(headings, 40) + Math.min(text, 20);
    });
    return found || onTop ? { score: total, top: onTop ? 1 : 0, part: onTop ? null : part } : null;
  }

  // Tiers, best first: 3 the term itself (or a synonym), 2 all its known pieces, 1 half its bigrams.
  function matchTerm(page, term) {
    var exact = find(page, term.alts);
    if (exact) return { tier: 3, score: exact.score, top: exact.top, part: exact.part };
    var known = term.pieces.filter(function (p) { return p.known; });
    if (term.pieces.length > 1 && known.length) {
      var total = 0;
      var top = 0;
      var part = null;
      var all = known.every(function (p) {
        var hit = find(page, p.alts);
        if (hit) { total += hit.score; top += hit.top; part = part || hit.part; }
        return hit;
      });
      if (all) {
        term.pieces.forEach(function (p) {
          var hit = !p.known && p.text.length >= 2 ? find(page, [p.text]) : null;
          if (hit) total += hit.score;
        });
        return { tier: 2, score: total, top: top, part: part };
      }
    }
    if (term.grams.length < 2) return null;
    var count = 0;
    var first = null;
    term.grams.forEach(function (gram) {
      var hit = find(page, [gram]);
      if (hit) { count += 1; first = first || hit.part; }
    });
    return count * 2 >= term.grams.length ? { tier: 1, score: count, top: 0, part: first } : null;
  }

  // A page must match every term; its tier is its weakest term's; `top` counts the terms (and known
  // pieces) in its title, summary or identifiers, which rank it above pages holding them in the text only.
  function score(page, terms, whole) {
    var total = 0;
    var top = 0;
    var tier = 3;
    var part = null;
    for (var t = 0; t < terms.length; t++) {
      var hit = matchTerm(page, terms[t]);
      if (!hit) return null;
      total += hit.score;
      top += hit.top;
      tier = Math.min(tier, hit.tier);
      if (hit.tier === 3 && !part) part = hit.part;
      else if (!part && hit.part) part = hit.part;
    }
    if (page.ft === whole) total += 1000;
    else if (page.ft.indexOf(whole) === 0) total += 50;
    return { page: page, tier: tier, top: top, score: total * page.boost, part: part, anchor: "" };
  }

  // The pages of the things the query names (a city, a sector, a glossary term), in the query's order:
  // a term's own, else, when no page's title holds the term as typed, the places and sectors it splits into.
  function homes(terms, exact) {
    var found = [];
    terms.forEach(function (term, t) {
      // A piece names a place or a sector (a page of its own, no anchor), not a glossary term: 清洁生产
      // is a piece of most queries, and its definition is no answer to them.
      var named = exact[t] ? [term.group] : [term.group].concat(term.pieces.map(function (p) {
        return p.group && !p.group.anchor ? p.group : null;
      }));
      named.forEach(function (group) {
        if (group && group.page >= 0 && found.indexOf(group) === -1) found.push(group);
      });
    });
    return found;
  }

  // Tier 4, first of all, ordered by score alone.
  function promote(hit, score) {
    hit.tier = 4;
    hit.top = 0;
    hit.score = score;
    hit.anchor = hit.anchor || "";
  }

  // Every page that matches, best first: the named things' pages, then by tier, terms on top, score,
  // index order (the site's tab order).
  function rank(terms) {
    if (!terms.length || !index.pages) return [];
    var whole = terms.map(function (t) { return t.text; }).join("");
    var hits = {};
    var found = [];
    index.pages.forEach(function (page) {
      var hit = score(page, terms, whole);
      if (hit) { hits[page.i] = hit; found.push(hit); }
    });
    // A term some page's title (or identifier) holds as typed is a name, not pieces to split.
    var exact = terms.map(function (term) {
      return index.pages.some(function (page) { var hit = find(page, term.alts); return hit && hit.top; });
    });
    homes(terms, exact).forEach(function (group, n) {
      var page = index.pages[group.page];
      if (!page) return;
      var hit = hits[page.i];
      if (!hit) { hit = { page: page, score: 0, top: 0, part: null }; found.push(hit); hits[page.i] = hit; }
      if (hit.tier === 4) return;
      // A page whose title begins with the term (or a synonym) is about it.
      var titled = function (h) { return group.forms.some(function (form) { return h.page.ft.indexOf(form) === 0; }); };
      promote(hit, 3e6 - n);
      // A glossary term the guide's title begins with (清洁生产审核) leads to the guide itself; else to
      // its definition, which follows the pages about the term (干熄焦: the case 干熄焦（CDQ）…).
      hit.anchor = titled(hit) ? "" : group.anchor;
      if (group.anchor && !titled(hit)) {
        hit.score = 1e6 - n;
        found.forEach(function (h) { if (h.tier !== 4 && titled(h)) promote(h, 2e6 + h.score); });
      }
    });
    found.sort(function (a, b) { return b.tier - a.tier || b.top - a.top || b.score - a.score || a.page.i - b.page.i; });
    return found;
  }

  function query(text) {
    var terms = analyse(text);
    var marks = needles(terms);
    return rank(terms).map(function (hit) {
      var snippetSource = hit.part ? hit.part.text : (hit.page.summary || "");
      var anchor = hit.tier === 4 ? hit.anchor : (hit.part && hit.part.anchor) || "";
      return {
        url: hit.page.url + (anchor ? "#" + anchor : ""),
        page: hit.page.url,
        title: hit.page.title,
        section: sectionOf(hit.page.url),
        heading: hit.part && hit.tier !== 4 ? hit.part.heading : "",
        sample: hit.page.sample ? index.sampleLabel : "",
        tier: hit.tier,
        score: hit.score,
        snippet: snippet(snippetSource, marks)
      };
    });
  }

  function firstMark(folded, marks) {
    var at = -1;
    marks.forEach(function (mark) {
      var i = folded.text.indexOf(mark);
      if (i !== -1 && (at === -1 || i < at)) at = i;
    });
    return at === -1 ? -1 : folded.from[at];
  }

  function snippet(text, marks) {
    var at = firstMark(foldWithPositions(text), marks);
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

  // Text with every occurrence of the marks (folded) wrapped in <mark>, built without innerHTML.
  function highlighted(tag, text, marks) {
    var node = el(tag);
    var folded = foldWithPositions(text);
    var spans = [];
    marks.forEach(function (mark) {
      var at = folded.text.indexOf(mark);
      while (mark && at !== -1) {
        spans.push([folded.from[at], folded.from[at + mark.length - 1] + 1]);
        at = folded.text.indexOf(mark, at + mark.length);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    spans.forEach(function (m) {
      if (m[0] < pos) return;
      if (m[0] > pos) node.appendChild(document.createTextNode(text.slice(pos, m[0])));
      // A supplementary-plane character is two code units: end after the whole of it.
      var end = m[1] < text.length && /[\uDC00-\uDFFF]/.test(text[m[1]]) ? m[1] + 1 : m[1];
      node.appendChild(el("mark", "", text.slice(m[0], end)));
      pos = end;
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

  // Section pages a query without results is pointed to, the closest (most of its characters) first.
  var SUGGESTED = ["guide/", "cities/", "sectors/", "policies/", "cases/"];

  function suggestions(text) {
    var chars = Array.from(new Set(Array.from(fold(text))));
    return SUGGESTED.map(function (url) { return index.byUrl[url]; }).filter(Boolean).map(function (page, n) {
      var own = page.ft + page.fs + page.parts.map(function (p) { return p.fh; }).join("");
      return { page: page, n: n, shared: chars.filter(function (c) { return own.indexOf(c) !== -1; }).length };
    }).sort(function (a, b) { return b.shared - a.shared || a.n - b.n; }).map(function (s) { return s.page; });
  }

  // After the results: the enterprise directory with the query filled in (names are searched there),
  // and, when nothing was found, the sections to start from.
  function offers(text, results) {
    var items = [];
    if (!results.length) {
      var start = offer("site-search__suggest");
      start.firstChild.appendChild(el("p", "", "试试从这些栏目找起："));
      var list = el("ul");
      suggestions(text).forEach(function (page) {
        var link = el("a", "", page.title);
        link.href = new URL(page.url, siteBase()).href;
        var item = el("li");
        item.append(link, "（" + sectionOf(page.url) + "）");
        list.appendChild(item);
      });
      start.firstChild.appendChild(list);
      items.push(start);
    }
    var directory = index.byUrl["enterprises/"];
    if (directory) {
      var names = offer("");
      var line = el("p");
      var link = el("a", "site-search__directory", "在企业名录中搜索「" + text + "」");
      link.href = new URL("enterprises/?q=" + encodeURIComponent(text), siteBase()).href;
      line.appendChild(link);
      if (directory.sample) line.append(" · ", el("strong", "site-search__sample", index.sampleLabel));
      names.firstChild.appendChild(line);
      items.push(names);
    }
    return items;
  }

  // An item after the results, in the results' own box and type.
  function offer(className) {
    var item = el("li", "md-search-result__item site-search__offer" + (className ? " " + className : ""));
    item.appendChild(el("div", "md-search-result__article md-typeset"));
    return item;
  }

  function marksFor(text) {
    return needles(analyse(text));
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
    var words = marksFor(text);
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
    if (index.text) items = items.concat(offers(text, results));
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
    var words = marksFor(text);
    this.metaNode.textContent = text ? meta(this.results.length, false) : "键入以开始搜索";
    var items = this.results.slice(0, this.limit).map(function (r) { return resultItem(r, words); });
    if (text) items = items.concat(offers(text, this.results));
    this.list.replaceChildren.apply(this.list, items);
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
    // For the tests: the folding and the splitting of a query, as the search applies them.
    fold: function (text) { return loadPages().then(function () { return fold(text); }); },
    analyse: function (text) {
      return loadPages().then(function () {
        return analyse(text).map(function (t) { return { text: t.text, alts: t.alts, pieces: t.pieces.map(function (p) { return p.text; }) }; });
      });
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
