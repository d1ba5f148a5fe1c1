// The site search's folding and ranking, over the index builder/publish/search_index.py writes
// (search/pages.json, then search/text.json). Pure: imports nothing, touches no DOM; docs/assets/search.js
// fetches the index and draws the results (tests/js/search-rank.test.mjs).
//
// Index and query are folded alike (traditional → simplified, width, case, punctuation and spaces
// dropped; builder/publish/search_terms.py fold does the same at build time). A query's space-separated
// terms must all match; each term matches, best first, as itself or a synonym (the glossary, a city's or
// sector's other names), as all the known terms it splits into (东莞电镀 → 东莞 + 电镀), or by half its
// two-character pieces. The pages of the cities, sectors and glossary terms it names come first.

const SNIPPET = 60;
const MARKS = /\p{Mn}/gu;
const DROPPED = /[\p{P}\p{Z}\p{Cc}\p{Cf}]/gu;
const HAN = /[\u3400-\u9fff]/;

/** Folding alone: pinyin tones, width, case and punctuation, then traditional → simplified from the
    pairs "繁简繁简…" the index ships (pages.json "t2s": only the variants of characters the site's text holds). */
export function folder(pairs) {
  const t2s = {};
  let keys = '';
  for (let k = 0; k + 1 < (pairs || '').length; k += 2) {
    t2s[pairs[k]] = pairs[k + 1];
    keys += pairs[k];
  }
  const pattern = keys ? new RegExp('[' + keys + ']', 'g') : null;
  return (text) => {
    const folded = String(text || '').normalize('NFKD').replace(MARKS, '').normalize('NFKC').toLowerCase()
      .replace(DROPPED, '');
    return pattern ? folded.replace(pattern, (c) => t2s[c]) : folded;
  };
}

function occurrences(haystack, needle) {
  let count = 0;
  let at = haystack.indexOf(needle);
  while (at !== -1 && count < 5) {
    count += 1;
    at = haystack.indexOf(needle, at + needle.length);
  }
  return count;
}

// The two-character pieces of a term with Chinese characters (a Latin word gains nothing from them).
function bigrams(term) {
  const grams = [];
  if (!HAN.test(term)) return grams;
  for (let k = 0; k + 2 <= term.length; k++) if (!grams.includes(term.substr(k, 2))) grams.push(term.substr(k, 2));
  return grams;
}

// Where one of the forms occurs in a page: a score, or null. Identifiers (a document number) 300,
// the title 100 and more the more of it the form covers, the summary 30, headings 20 each (at most
// 40), each occurrence in the text 1 (at most 20): what a page is about outweighs how often it
// mentions a word. `part` is the first section holding it, when the title and summary do not.
function find(page, forms) {
  let total = 0;
  let part = null;
  let found = false;
  let onTop = false;
  for (const form of forms) {
    if (page.fk && page.fk.includes(form)) { total += 300; onTop = true; }
    if (page.ft.includes(form)) { total += 100 + Math.round(50 * form.length / page.ft.length); onTop = true; }
    if (page.fs.includes(form)) { total += 30; onTop = true; }
    let headings = 0;
    let text = 0;
    for (const s of page.parts) {
      const inHeading = s.fh.includes(form);
      const inText = occurrences(s.fx, form);
      if (inHeading || inText) {
        headings += inHeading ? 20 : 0;
        text += inText;
        if (!part) part = s;
        found = true;
      }
    }
    total += Math.min(headings, 40) + Math.min(text, 20);
  }
  return found || onTop ? { score: total, top: onTop ? 1 : 0, part: onTop ? null : part } : null;
}

// Tiers, best first: 3 the term itself (or a synonym), 2 all its known pieces, 1 half its bigrams.
function matchTerm(page, term) {
  const exact = find(page, term.alts);
  if (exact) return { tier: 3, score: exact.score, top: exact.top, part: exact.part };
  const known = term.pieces.filter((p) => p.known);
  if (term.pieces.length > 1 && known.length) {
    let total = 0;
    let top = 0;
    let part = null;
    const all = known.every((p) => {
      const hit = find(page, p.alts);
      if (hit) { total += hit.score; top += hit.top; part = part || hit.part; }
      return hit;
    });
    if (all) {
      for (const p of term.pieces) {
        const hit = !p.known && p.text.length >= 2 ? find(page, [p.text]) : null;
        if (hit) total += hit.score;
      }
      return { tier: 2, score: total, top, part };
    }
  }
  if (term.grams.length < 2) return null;
  let count = 0;
  let first = null;
  for (const gram of term.grams) {
    const hit = find(page, [gram]);
    if (hit) { count += 1; first = first || hit.part; }
  }
  return count * 2 >= term.grams.length ? { tier: 1, score: count, top: 0, part: first } : null;
}

// A page must match every term; its tier is its weakest term's; `top` counts the terms (and known
// pieces) in its title, summary or identifiers, which rank it above pages holding them in the text only.
function score(page, terms, whole) {
  let total = 0;
  let top = 0;
  let tier = 3;
  let part = null;
  for (const term of terms) {
    const hit = matchTerm(page, term);
    if (!hit) return null;
    total += hit.score;
    top += hit.top;
    tier = Math.min(tier, hit.tier);
    if (hit.tier === 3 && !part) part = hit.part;
    else if (!part && hit.part) part = hit.part;
  }
  if (page.ft === whole) total += 1000;
  else if (page.ft.indexOf(whole) === 0) total += 50;
  return { page, tier, top, score: total * page.boost, part, anchor: '' };
}

// The pages of the things the query names (a city, a sector, a glossary term), in the query's order:
// a term's own, else, when no page's title holds the term as typed, the places and sectors it splits into.
function homes(terms, exact) {
  const found = [];
  terms.forEach((term, t) => {
    // A piece names a place or a sector (a page of its own, no anchor), not a glossary term: 清洁生产
    // is a piece of most queries, and its definition is no answer to them.
    const named = exact[t] ? [term.group] : [term.group].concat(term.pieces.map((p) => (p.group && !p.group.anchor ? p.group : null)));
    for (const group of named) {
      if (group && group.page >= 0 && !found.includes(group)) found.push(group);
    }
  });
  return found;
}

// Tier 4, first of all, ordered by score alone.
function promote(hit, value) {
  hit.tier = 4;
  hit.top = 0;
  hit.score = value;
  hit.anchor = hit.anchor || '';
}

/** The search over one index: createSearch(pages.json), then addText(text.json) when it arrives. */
export function createSearch(data) {
  const fold = folder(data.t2s);
  const lexicon = new Map(); // folded form → group number, or -1 for a word of a page title
  const groups = (data.terms || []).map((g) => ({ page: g[0], anchor: g[1], forms: g.slice(2) }));
  groups.forEach((group, n) => {
    for (const form of group.forms) if (!lexicon.has(form)) lexicon.set(form, n);
  });
  for (const word of (data.words || '').split(' ')) if (word && !lexicon.has(word)) lexicon.set(word, -1);
  let longest = 0;
  lexicon.forEach((n, form) => { longest = Math.max(longest, form.length); });

  const sections = data.sections || {};
  const sampleLabel = data.sample_label || '';
  const pages = data.pages.map((p, i) => ({
    i, url: p[0], title: p[1], summary: p[2], boost: p[3] || 1, ft: fold(p[1]), fs: fold(p[2]), parts: [], sample: false,
  }));
  for (const i of data.sample || []) if (pages[i]) pages[i].sample = true;
  for (const page of pages) page.fk = fold((data.keys || {})[page.i] || '');
  const byUrl = {};
  for (const page of pages) byUrl[page.url] = page;

  // The folded text and, per folded character, the position of the character it came from:
  // a match in the folded text is marked on the text as printed.
  function foldWithPositions(text) {
    let folded = '';
    const from = [];
    let at = 0;
    for (const char of Array.from(String(text || ''))) {
      const piece = fold(char);
      for (let k = 0; k < piece.length; k++) from.push(at);
      folded += piece;
      at += char.length;
    }
    from.push(at);
    return { text: folded, from };
  }

  function piece(text, known) {
    const n = known ? lexicon.get(text) : -1;
    return { text, known, group: n >= 0 ? groups[n] : null, alts: n >= 0 ? groups[n].forms : [text] };
  }

  // Greedy longest match against the known terms; characters in no term gather into unknown pieces.
  function segment(term) {
    const pieces = [];
    let unknown = '';
    let at = 0;
    while (at < term.length) {
      let size = Math.min(longest, term.length - at);
      while (size >= 2 && !lexicon.has(term.substr(at, size))) size -= 1;
      if (size >= 2) {
        if (unknown) { pieces.push(piece(unknown, false)); unknown = ''; }
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

  // The query's terms (separated by spaces), each with its synonyms, its pieces and its bigrams.
  function analyse(text) {
    let raw = String(text || '').normalize('NFKC').split(/\s+/).map(fold).filter(Boolean);
    if (raw.length > 1 && lexicon.has(raw.join(''))) raw = [raw.join('')]; // "Iron and steel", "Guang zhou"
    return raw.map((term) => {
      const whole = piece(term, lexicon.has(term));
      const pieces = whole.known ? [whole] : segment(term);
      return { text: term, alts: whole.alts, group: whole.group, pieces, grams: bigrams(term) };
    });
  }

  // Everything a result marks: each term and its synonyms, the known pieces and theirs, longest first.
  function needles(terms) {
    const found = [];
    for (const term of terms) {
      for (const n of term.alts.concat(...term.pieces.map((p) => (p.text.length >= 2 ? p.alts : [])))) {
        if (!found.includes(n)) found.push(n);
      }
    }
    return found.sort((a, b) => b.length - a.length);
  }

  function sectionOf(url) {
    return sections[url.split('/')[0]] || '';
  }

  // Every page that matches, best first: the named things' pages, then by tier, terms on top, score,
  // index order (the site's tab order).
  function rank(terms) {
    if (!terms.length) return [];
    const whole = terms.map((t) => t.text).join('');
    const hits = {};
    const found = [];
    for (const page of pages) {
      const hit = score(page, terms, whole);
      if (hit) { hits[page.i] = hit; found.push(hit); }
    }
    // A term some page's title (or identifier) holds as typed is a name, not pieces to split.
    const exact = terms.map((term) => pages.some((page) => { const hit = find(page, term.alts); return hit && hit.top; }));
    homes(terms, exact).forEach((group, n) => {
      const page = pages[group.page];
      if (!page) return;
      let hit = hits[page.i];
      if (!hit) { hit = { page, score: 0, top: 0, part: null }; found.push(hit); hits[page.i] = hit; }
      if (hit.tier === 4) return;
      // A page whose title begins with the term (or a synonym) is about it.
      const titled = (h) => group.forms.some((form) => h.page.ft.indexOf(form) === 0);
      promote(hit, 3e6 - n);
      // A glossary term the guide's title begins with (清洁生产审核) leads to the guide itself; else to
      // its definition, which follows the pages about the term (干熄焦: the case 干熄焦（CDQ）…).
      hit.anchor = titled(hit) ? '' : group.anchor;
      if (group.anchor && !titled(hit)) {
        hit.score = 1e6 - n;
        for (const h of found) if (h.tier !== 4 && titled(h)) promote(h, 2e6 + h.score);
      }
    });
    found.sort((a, b) => b.tier - a.tier || b.top - a.top || b.score - a.score || a.page.i - b.page.i);
    return found;
  }

  function firstMark(folded, marks) {
    let at = -1;
    for (const mark of marks) {
      const i = folded.text.indexOf(mark);
      if (i !== -1 && (at === -1 || i < at)) at = i;
    }
    return at === -1 ? -1 : folded.from[at];
  }

  function snippet(text, marks) {
    const at = firstMark(foldWithPositions(text), marks);
    if (text.length <= SNIPPET * 2 || at < SNIPPET / 2) return text.length > SNIPPET * 2 ? text.slice(0, SNIPPET * 2) + '…' : text;
    const start = Math.max(0, at - SNIPPET / 2);
    return '…' + text.slice(start, start + SNIPPET * 2) + (start + SNIPPET * 2 < text.length ? '…' : '');
  }

  return {
    pages,
    byUrl,
    sampleLabel,
    text: false, // whether text.json's sections are in
    fold,
    foldWithPositions,
    analyse,
    sectionOf,

    /** text.json: every section's heading and text, added to its page. */
    addText(textData) {
      for (const s of textData.sections) {
        const page = pages[s[0]];
        if (page) page.parts.push({ anchor: s[1], heading: s[2], text: s[3], fh: fold(s[2]), fx: fold(s[3]) });
      }
      this.text = true;
    },

    /** What a result marks for this query: its folded terms, synonyms and known pieces, longest first. */
    marks(text) {
      return needles(analyse(text));
    },

    /** Every matching page, best first, as a result: address, title, section, heading, snippet, tier, score. */
    query(text) {
      const terms = analyse(text);
      const marks = needles(terms);
      return rank(terms).map((hit) => {
        const snippetSource = hit.part ? hit.part.text : (hit.page.summary || '');
        const anchor = hit.tier === 4 ? hit.anchor : (hit.part && hit.part.anchor) || '';
        return {
          url: hit.page.url + (anchor ? '#' + anchor : ''),
          page: hit.page.url,
          title: hit.page.title,
          section: sectionOf(hit.page.url),
          heading: hit.part && hit.tier !== 4 ? hit.part.heading : '',
          sample: hit.page.sample ? sampleLabel : '',
          tier: hit.tier,
          score: hit.score,
          snippet: snippet(snippetSource, marks),
        };
      });
    },

    /** The section pages (addresses) a query without results is pointed to, the closest (most of its characters) first. */
    suggestions(text, urls) {
      const chars = Array.from(new Set(Array.from(fold(text))));
      return urls.map((url) => byUrl[url]).filter(Boolean).map((page, n) => {
        const own = page.ft + page.fs + page.parts.map((p) => p.fh).join('');
        return { page, n, shared: chars.filter((c) => own.includes(c)).length };
      }).sort((a, b) => b.shared - a.shared || a.n - b.n).map((s) => s.page);
    },
  };
}
