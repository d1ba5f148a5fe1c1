// The site's search: the dialog in the header and the /search/ page.
// Imported by site.js when a reader opens the search (or on /search/). It first fetches
// search/pages.json (address, title and summary of every page) and shows results from it;
// then search/text.json (the text of every section) and adds what only the text holds.
// The folding and ranking are lib/search-rank.js. A result on a page that shows sample records
// (pages.json "sample") is labelled with "sample_label".
import { el, onReady } from './lib/dom.js';
import { fetchJSON, siteUrl } from './lib/net.js';
import { createSearch } from './lib/search-rank.js';

const DIALOG_RESULTS = 10;
const PAGE_RESULTS = 20;
// Section pages a query without results is pointed to.
const SUGGESTED = ['guide/', 'cities/', 'sectors/', 'policies/', 'cases/'];

// --- the index: pages.json first, text.json after it --------------------------------------------------

let search = null; // the search over pages.json, once it is in
let pagesLoading = null;
let textLoading = null;

function loadPages() {
  if (!pagesLoading) {
    pagesLoading = fetchJSON(siteUrl('search/pages.json')).then((data) => {
      search = createSearch(data);
      return search;
    });
  }
  return pagesLoading;
}

function loadText() {
  if (!textLoading) {
    textLoading = loadPages().then(() => fetchJSON(siteUrl('search/text.json'))).then((data) => {
      search.addText(data);
      return true;
    });
  }
  return textLoading;
}

const textIn = () => Boolean(search && search.text);

// --- rendering --------------------------------------------------------------------------------------

// Text with every occurrence of the marks (folded) wrapped in <mark>, built without innerHTML.
function highlighted(tag, text, marks) {
  const node = el(tag);
  const folded = search.foldWithPositions(text);
  const spans = [];
  for (const mark of marks) {
    let at = folded.text.indexOf(mark);
    while (mark && at !== -1) {
      spans.push([folded.from[at], folded.from[at + mark.length - 1] + 1]);
      at = folded.text.indexOf(mark, at + mark.length);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let pos = 0;
  for (const m of spans) {
    if (m[0] < pos) continue;
    if (m[0] > pos) node.append(text.slice(pos, m[0]));
    // A supplementary-plane character is two code units: end after the whole of it.
    const end = m[1] < text.length && /[\uDC00-\uDFFF]/.test(text[m[1]]) ? m[1] + 1 : m[1];
    node.append(el('mark', { text: text.slice(m[0], end) }));
    pos = end;
  }
  if (pos < text.length) node.append(text.slice(pos));
  return node;
}

function resultItem(result, words) {
  const article = el('article', { className: 'md-search-result__article md-typeset' }, [highlighted('h1', result.title, words)]);
  const where = result.section + (result.heading ? ' › ' + result.heading : '');
  if (where || result.sample) {
    // Bold and in the link's own text, so that it is seen and read out with the result.
    article.append(el('p', { className: 'site-search__where' }, [
      result.sample ? el('strong', { className: 'site-search__sample', text: result.sample }) : null,
      result.sample && where ? ' · ' : null,
      where,
    ]));
  }
  if (result.snippet) article.append(highlighted('p', result.snippet, words));
  const link = el('a', { className: 'md-search-result__link', href: siteUrl(result.url), 'data-search-result': result.page }, [article]);
  return el('li', { className: 'md-search-result__item' }, [link]);
}

function meta(count, stillLoading) {
  if (!count) return stillLoading ? '正在检索全文……' : '没有找到符合条件的结果';
  return '找到 ' + count + ' 个结果' + (stillLoading ? '（正在检索全文……）' : '');
}

// An item after the results, in the results' own box and type.
function offer(className, children) {
  return el('li', { className: 'md-search-result__item site-search__offer' + (className ? ' ' + className : '') }, [
    el('div', { className: 'md-search-result__article md-typeset' }, children),
  ]);
}

// After the results: the enterprise directory with the query filled in (names are searched there),
// and, when nothing was found, the sections to start from.
function offers(text, results) {
  const items = [];
  if (!results.length) {
    const list = el('ul', null, search.suggestions(text, SUGGESTED).map((page) => el('li', null, [
      el('a', { href: siteUrl(page.url), text: page.title }), '（' + search.sectionOf(page.url) + '）',
    ])));
    items.push(offer('site-search__suggest', [el('p', { text: '试试从这些栏目找起：' }), list]));
  }
  const directory = search.byUrl['enterprises/'];
  if (directory) {
    const link = el('a', { className: 'site-search__directory', href: siteUrl('enterprises/?q=' + encodeURIComponent(text)),
      text: '在企业名录中搜索「' + text + '」' });
    const line = el('p', null, [link]);
    if (directory.sample) line.append(' · ', el('strong', { className: 'site-search__sample', text: search.sampleLabel }));
    items.push(offer('', [line]));
  }
  return items;
}

function searchPageUrl(text) {
  return siteUrl('search/?q=' + encodeURIComponent(text));
}

// --- the header dialog ------------------------------------------------------------------------------

class Dialog {
  constructor(root) {
    this.root = root;
    this.toggle = document.getElementById('__search');
    this.input = root.querySelector('[data-site-search-input]');
    this.metaNode = root.querySelector('.md-search-result__meta');
    this.list = root.querySelector('.md-search-result__list');
    this.form = root.querySelector('form');
    this.input.addEventListener('input', () => this.run());
    this.input.addEventListener('keyup', () => this.run());
    this.form.addEventListener('reset', () => setTimeout(() => { this.run(); this.input.focus(); }, 0));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.input.value.trim()) location.href = searchPageUrl(this.input.value.trim());
    });
    this.toggle.addEventListener('change', () => { if (this.toggle.checked) this.open(); });
    root.addEventListener('keydown', (event) => this.keydown(event));
    this.shown = null;
  }

  open() {
    if (!this.toggle.checked) this.toggle.checked = true;
    this.input.focus();
    loadPages().then(() => this.run(), (error) => this.fail(error));
  }

  close() {
    this.toggle.checked = false;
  }

  fail(error) {
    this.metaNode.textContent = '搜索索引载入失败（' + error.message + '），请稍后重试。';
  }

  run() {
    const text = this.input.value.trim();
    if (text === this.shown && (!this.shownBeforeText || !textIn())) return;
    if (!text) {
      this.shown = text;
      this.list.replaceChildren();
      this.metaNode.textContent = '键入以开始搜索';
      return;
    }
    if (!search) {
      this.metaNode.textContent = '正在载入搜索索引……';
      loadPages().then(() => this.run(), (error) => this.fail(error));
      return;
    }
    const words = search.marks(text);
    const results = search.query(text);
    this.shown = text;
    this.shownBeforeText = !textIn();
    this.metaNode.textContent = meta(results.length, !textIn());
    let items = results.slice(0, DIALOG_RESULTS).map((r) => resultItem(r, words));
    if (results.length > DIALOG_RESULTS) {
      items.push(el('li', { className: 'md-search-result__item site-search__more' }, [
        el('a', { className: 'md-search-result__link', href: searchPageUrl(text), text: '查看全部 ' + results.length + ' 个结果' }),
      ]));
    }
    if (textIn()) items = items.concat(offers(text, results));
    this.list.replaceChildren(...items);
    if (!textIn()) loadText().then(() => this.run(), () => {});
  }

  keydown(event) {
    const links = Array.from(this.list.querySelectorAll('a'));
    const at = links.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      this.close();
      this.input.blur();
      event.preventDefault();
    } else if (event.key === 'ArrowDown' && links.length) {
      links[Math.min(links.length - 1, at + 1)].focus();
      event.preventDefault();
    } else if (event.key === 'ArrowUp' && at !== -1) {
      (at === 0 ? this.input : links[at - 1]).focus();
      event.preventDefault();
    }
  }
}

// --- the /search/ page ------------------------------------------------------------------------------

class SearchPage {
  constructor(root) {
    this.root = root;
    const params = new URLSearchParams(location.search);
    this.input = el('input', { className: 'site-search-page__input', type: 'search', id: 'site-search-page-input', name: 'q',
      enterkeyhint: 'search' });
    this.input.value = params.get('q') || '';
    const form = el('form', { className: 'site-search-page__form', role: 'search' }, [
      el('label', { for: 'site-search-page-input', text: '搜索本站' }), this.input,
    ]);
    this.metaNode = el('p', { className: 'site-search-page__meta', 'aria-live': 'polite' });
    this.list = el('ol', { className: 'site-search-page__list md-search-result__list' });
    this.moreButton = el('button', { className: 'md-button site-search-page__more', type: 'button', hidden: true, text: '显示更多结果' });
    root.replaceChildren(form, this.metaNode, this.list, this.moreButton);
    form.addEventListener('submit', (event) => { event.preventDefault(); this.run(); });
    this.input.addEventListener('input', () => this.run());
    this.input.addEventListener('keyup', () => this.run());
    this.moreButton.addEventListener('click', () => { this.limit += PAGE_RESULTS; this.show(); });
    this.limit = PAGE_RESULTS;
    this.metaNode.textContent = '正在载入搜索索引……';
    Promise.all([loadPages(), loadText()]).then(() => { this.shown = null; this.run(); },
      (error) => { this.metaNode.textContent = '搜索索引载入失败（' + error.message + '），请稍后重试。'; });
  }

  run() {
    const text = this.input.value.trim();
    if (text === this.shown || !textIn()) return;
    this.shown = text;
    this.limit = PAGE_RESULTS;
    const address = new URL(location.href);
    if (text) address.searchParams.set('q', text); else address.searchParams.delete('q');
    history.replaceState(history.state, '', address.href);
    this.results = search.query(text);
    this.show();
  }

  show() {
    const text = this.input.value.trim();
    const words = search.marks(text);
    this.metaNode.textContent = text ? meta(this.results.length, false) : '键入以开始搜索';
    let items = this.results.slice(0, this.limit).map((r) => resultItem(r, words));
    if (text) items = items.concat(offers(text, this.results));
    this.list.replaceChildren(...items);
    this.moreButton.hidden = this.results.length <= this.limit;
  }
}

// --- start-up -------------------------------------------------------------------------------------

let dialog = null;

/** Opens the header's search dialog (site.js calls it when the reader asks for the search). */
export function open() {
  if (dialog) dialog.open();
}

onReady(() => {
  const root = document.querySelector('[data-site-search]');
  if (root) dialog = new Dialog(root);
  // Imported when the reader opens the search: take the open dialog over.
  if (dialog && dialog.toggle.checked) dialog.open();
  const page = document.getElementById('search-page');
  if (page && !page.getAttribute('data-ready')) {
    page.setAttribute('data-ready', 'true');
    new SearchPage(page);
  }
});

// For the browser tests and the recall benchmark only (no script of the site reads it; they import this
// module): the ranking the dialog shows, over the whole index, and the folding and splitting of a query.
export const gdSearch = {
  query: (text) => Promise.all([loadPages(), loadText()]).then(() => search.query(text)),
  fold: (text) => loadPages().then(() => search.fold(text)),
  analyse: (text) => loadPages().then(() => search.analyse(text)
    .map((t) => ({ text: t.text, alts: t.alts, pieces: t.pieces.map((p) => p.text) }))),
  open,
};
