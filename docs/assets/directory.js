/*
 * Enterprise directory: filters, sorts, pages and downloads the records of the directory's JSON
 * entirely in the browser.
 *
 * In:  <div id="enterprise-directory" data-src="directory.json" data-download-name="…"> and the
 *      JSON it names (written by builder/derive/enterprise_directory.py, which documents it): every
 *      field's metadata, the code tables, the table's columns, page size and searched fields, one
 *      column per field the table shows, searches and filters on, and the list of details files
 *      holding the other fields by record range (read by lib/directory-data.js).
 * Out: search box, facet selects with counts, a sortable table of one page of matches, CSV/JSON
 *      downloads of all matches with every field (a sample's marked on every record, see save), and a
 *      detail view (?record=<record_id>). The filter state lives in the query string
 *      (lib/directory-state.js), so every view is a shareable URL. A details file is fetched only when
 *      a record of its range is opened or downloaded.
 *
 * The directory page requests this module itself (async, right after the container), so that the
 * first rows need not wait for the theme's start-up. Data reach the DOM only through textContent and
 * attributes, never as markup.
 */
import { el, onReady } from './lib/dom.js';
import { Dataset, NONE, RECORD_ID, buildFacets, isEmpty } from './lib/directory-data.js';
import { listQuery, parseSort, readState, urlFor } from './lib/directory-state.js';
import { fetchJSON } from './lib/net.js';
// Imported by lib/directory-data.js: named here too, so that they are fetched with the rest, not after it.
import './lib/columns.js';
import './lib/format.js';

const DEBOUNCE_MS = 60;
const URL_DELAY_MS = 250; // coalesces URL updates: replaceState costs a few ms and Chrome throttles it

function whenIdle(task) {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(task, { timeout: 1000 });
  else setTimeout(task, 100);
}

/* ---------- the directory ---------- */

class Directory {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.facets = buildFacets(data);
    this.downloadName = root.dataset.downloadName || 'records';
    this.matches = new Int32Array(0);
    this.matchCount = 0;
    this.state = readState(location.search);
    this.pageTitle = document.title;
    this.timer = null;
    this.urlTimer = null;
    this.optionSets = new Map();
    this.detailToken = 0; // the detail view on screen; a details file arriving for an older one is not shown
    this.downloadToken = 0;
    this.counted = false; // whether the options show counts yet
      this.onPopState = () => {
      clearTimeout(this.urlTimer);
      this.state = readState(location.search);
      this.syncControls();
      this.show();
      this.restoreFocus();
    };
    this.onPageHide = () => this.flushUrl();
    this.build();
    window.addEventListener('popstate', this.onPopState);
    window.addEventListener('pagehide', this.onPageHide);
    this.syncControls();
    this.start();
    // After the first rows are on screen: the search keys, so that the first keystroke finds them ready.
    whenIdle(() => data.searchKeys());
  }

  /* building the interface, once */

  title(name, override) {
    const field = this.data.byName[name];
    return override || (field && field.title) || name;
  }

  build() {
    const searchTitles = this.data.table.searchFields.filter((n) => this.data.has(n)).map((n) => this.title(n));
    this.search = el('input', { type: 'search', id: 'dir-q', autocomplete: 'off', spellcheck: 'false',
      placeholder: searchTitles.join('、') + '，例如：电镀' });
    this.selects = {};
    const fields = [el('div', { className: 'dir-field dir-field--search' }, [
      el('label', { for: 'dir-q', text: '检索' + searchTitles.join('或') }), this.search])];
    for (const facet of this.facets) {
      // "All" until the first count of the options (see start).
      const select = el('select', { id: facet.id, 'data-param': facet.param }, [el('option', { value: '', text: '全部' })]);
      this.selects[facet.param] = select;
      fields.push(el('div', { className: 'dir-field' }, [
        el('label', { for: select.id, text: this.title(facet.field, facet.label) }), select]));
    }
    this.reset = el('button', { type: 'button', id: 'dir-reset', className: 'md-button dir-reset', text: '清除条件' });
    fields.push(el('div', { className: 'dir-field dir-field--actions' }, [this.reset]));
    this.form = el('form', { className: 'dir-controls', role: 'search', 'aria-label': '名录检索与筛选' }, fields);
    // Folded on a phone, so that the first rows are on the first screen; the summary counts the conditions.
    this.filterSummary = el('summary', { text: '检索与筛选' });
    this.filters = el('details', { className: 'dir-filters' }, [this.filterSummary, this.form]);
    this.filters.open = !window.matchMedia('(max-width: 37.5em)').matches;

    this.count = el('p', { id: 'dir-count', className: 'dir-count', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.csvButton = el('button', { type: 'button', id: 'dir-download-csv', className: 'md-button', text: 'CSV' });
    this.jsonButton = el('button', { type: 'button', id: 'dir-download-json', className: 'md-button', text: 'JSON' });
    this.downloadStatus = el('span', { id: 'dir-download-status', className: 'dir-download-status', role: 'status' });
    this.downloads = el('p', { className: 'dir-downloads' },
      [el('span', { text: '下载筛选结果：' }), this.csvButton, this.jsonButton, this.downloadStatus]);
    const summary = el('div', { className: 'dir-summary' }, [this.count, this.downloads]);

    // Its own class: Material's bundle, which may run after this table exists, wraps and styles
    // only tables without one (table:not([class])); directory.css gives it the same look.
    this.table = el('table', { id: 'dir-table', className: 'dir-table' });
    this.headers = {};
    const headRow = el('tr');
    for (const column of this.data.table.columns) {
      const field = this.data.byName[column.field];
      const button = el('button', { type: 'button', className: 'dir-sort', 'data-sort': column.field },
        [el('span', { className: 'dir-sort-title', text: this.title(column.field, column.label) })]);
      if (field.unit) button.append(el('span', { className: 'dir-sort-unit', text: `（${field.unit}）` }));
      const th = el('th', { scope: 'col', className: this.data.isNumeric(column.field) ? 'dir-num' : null }, [button]);
      this.headers[column.field] = th;
      headRow.append(th);
    }
    this.columns = this.data.table.columns;
    this.tbody = el('tbody');
    this.table.append(el('caption', { className: 'dir-visually-hidden', text: '企业名录检索结果，点击列标题排序' }),
      el('thead', null, [headRow]), this.tbody);
    const tableWrap = el('div', { className: 'md-typeset__scrollwrap' }, [el('div', { className: 'md-typeset__table' }, [this.table])]);

    this.prev = el('button', { type: 'button', id: 'dir-prev', className: 'md-button', text: '上一页' });
    this.next = el('button', { type: 'button', id: 'dir-next', className: 'md-button', text: '下一页' });
    this.pageLabel = el('span', { id: 'dir-page', className: 'dir-page' });
    const pager = el('nav', { className: 'dir-pager', 'aria-label': '分页' }, [this.prev, this.pageLabel, this.next]);

    this.listView = el('div', { className: 'dir-list' }, [this.filters, summary, tableWrap, pager]);
    this.detailView = el('section', { id: 'dir-detail', className: 'dir-detail', hidden: true, 'aria-labelledby': 'dir-detail-title' });

    this.root.replaceChildren(this.listView, this.detailView);
    this.root.classList.add('dir-ready');
    this.root.removeAttribute('aria-busy');
    this.listen();
  }

  listen() {
    this.form.addEventListener('submit', (event) => { event.preventDefault(); this.applySearch(); });
    this.search.addEventListener('input', (event) => {
      if (event.isComposing) return; // wait for the IME to commit the Chinese characters
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.applySearch(), DEBOUNCE_MS);
    });
    this.search.addEventListener('compositionend', () => this.applySearch());
    this.form.addEventListener('change', (event) => {
      const param = event.target.dataset && event.target.dataset.param;
      if (!param) return;
      if (event.target.value) this.state.filters[param] = event.target.value;
      else delete this.state.filters[param];
      this.changed();
    });
    this.reset.addEventListener('click', () => {
      this.state.q = '';
      this.state.filters = {};
      this.search.value = '';
      this.changed();
      this.search.focus();
    });
    this.table.tHead.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-sort]');
      if (!button) return;
      const field = button.dataset.sort;
      this.state.sort = this.state.sort === field ? '-' + field : field;
      this.state.page = 1;
      this.sorted = false;
      this.commit();
      this.renderList();
    });
    this.prev.addEventListener('click', () => this.turn(-1));
    this.next.addEventListener('click', () => this.turn(1));
    this.csvButton.addEventListener('click', () => this.download('csv'));
    this.jsonButton.addEventListener('click', () => this.download('json'));
    // A pointer or the focus on the download buttons: start fetching the details the download will need.
    const prepare = () => {
      const pending = this.data.details.loadRows(this.matches, this.matchCount);
      if (pending) pending.catch(() => {}); // the download itself reports a failure
    };
    this.downloads.addEventListener('pointerenter', prepare);
    this.downloads.addEventListener('focusin', prepare);
    // Record and list links change the view here, without a fetch (their target="_self" is the first
    // page's markup, builder's first_page).
    this.root.addEventListener('click', (event) => {
      const link = event.target.closest('a[data-record], a[data-list]');
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      this.flushUrl();
      if (link.dataset.list !== undefined && history.state && history.state.dirFromList) {
        history.back(); // to the list the record was opened from: popstate restores the focus there
        return;
      }
      if (link.dataset.record !== undefined) {
        // The list's entry remembers the link and the scroll, for the way back (restoreFocus).
        history.replaceState(Object.assign({}, history.state, { dirFocus: link.dataset.record, dirScroll: window.scrollY }), '');
      }
      history.pushState(link.dataset.record !== undefined ? { dirFromList: true } : null, '', link.getAttribute('href'));
      this.state = readState(location.search);
      this.syncControls();
      this.show(true);
    });
  }

  /** Back on the list from a record: the reader's place and the link they had opened, focused again. */
  restoreFocus() {
    const saved = history.state;
    if (!saved || !saved.dirFocus || !this.detailView.hidden) return;
    const link = this.tbody.querySelector(`a[data-record="${CSS.escape(saved.dirFocus)}"]`);
    if (!link) return;
    window.scrollTo(0, saved.dirScroll || 0);
    link.focus({ preventScroll: true });
  }

  applySearch() {
    clearTimeout(this.timer);
    const q = this.search.value.trim();
    if (q === this.state.q) return;
    this.state.q = q;
    this.changed();
  }

  changed() {
    this.state.page = 1;
    this.commit();
    this.filter();
    this.renderList();
  }

  turn(step) {
    this.state.page += step;
    this.commit();
    this.renderList();
    const target = step < 0 ? this.prev : this.next;
    if (target.disabled) (step < 0 ? this.next : this.prev).focus();
    // Paging from the foot of a long table: bring the new page's first rows into view.
    if (this.count.getBoundingClientRect().top < 0) this.count.scrollIntoView({ block: 'start' });
  }

  /** Puts the list state into the address bar soon; flushUrl() does it at once. */
  commit() {
    clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => this.flushUrl(), URL_DELAY_MS);
  }

  flushUrl() {
    if (this.urlTimer === null) return;
    clearTimeout(this.urlTimer);
    this.urlTimer = null;
    const url = urlFor(listQuery(this.state), location);
    if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, '', url);
  }

  syncControls() {
    this.search.value = this.state.q;
    // The selects are set when their options are rendered with the new counts (renderFacets).
  }

  /* filtering: one pass over all rows */

  filter() {
    const data = this.data;
    const n = data.count;
    const facets = this.facets;
    const q = this.state.q.toLowerCase();
    const m = facets.length;
    const codes = facets.map((f) => f.codes);
    const counts = facets.map((f) => new Int32Array(f.keys.length));
    const totals = new Int32Array(m); // per facet: rows passing every other filter
    // Only the facets with a choice are tested per row; -2 stands for a value no row has.
    const tested = [];
    const wanted = [];
    facets.forEach((f, i) => {
      const value = this.state.filters[f.param];
      if (!value) return;
      tested.push(i);
      wanted.push(f.keyOf.has(value) ? f.keyOf.get(value) : -2);
    });
    const t = tested.length;
    const matches = new Int32Array(n);
    const haystack = q ? data.searchKeys() : null;
    let found = 0;
    for (let r = 0; r < n; r++) {
      if (q && haystack[r].indexOf(q) === -1) continue;
      let missed = -1;
      let misses = 0;
      for (let j = 0; j < t && misses < 2; j++) {
        if (codes[tested[j]][r] !== wanted[j]) { missed = tested[j]; misses++; }
      }
      if (misses === 0) {
        matches[found++] = r;
        for (let f = 0; f < m; f++) counts[f][codes[f][r]]++;
      } else if (misses === 1) {
        // The row counts towards the options of the one facet it fails: choosing that option would show it.
        counts[missed][codes[missed][r]]++;
        totals[missed]++;
      }
    }
    for (let f = 0; f < m; f++) totals[f] += found;
    this.matches = matches;
    this.matchCount = found;
    this.sorted = false;
    this.counted = true;
    this.renderFacets(counts, totals);
  }

  sortedMatches() {
    if (this.sorted) return this.matches;
    // The filter pass leaves matches in file order, which is the order when no sort is chosen.
    const sort = parseSort(this.state.sort, (name) => this.data.has(name));
    if (sort) {
      // One number per match, rank * rows + row: a native numeric sort then orders by rank, ties in
      // file order, empty values last in either direction, without calling back into JavaScript.
      const { ranks, size } = this.data.ranks(sort.field);
      const n = this.data.count;
      const keys = new Float64Array(this.matchCount);
      for (let i = 0; i < this.matchCount; i++) {
        const r = this.matches[i];
        const rank = ranks[r] === -1 ? size : (sort.descending ? size - 1 - ranks[r] : ranks[r]);
        keys[i] = rank * n + r;
      }
      keys.sort();
      for (let i = 0; i < this.matchCount; i++) this.matches[i] = keys[i] % n;
    }
    this.sorted = true;
    return this.matches;
  }

  /* rendering */

  /**
   * The first view. With nothing to filter every row matches: the first rows go out at once, and
   * the options' counts (a pass over all rows) follow in a task after they are painted.
   */
  start() {
    if ((this.state.record !== null && this.state.record !== undefined) || this.state.q
        || Object.keys(this.state.filters).length > 0) {
      this.show();
      return;
    }
    const n = this.data.count;
    this.matches = new Int32Array(n);
    for (let r = 0; r < n; r++) this.matches[r] = r;
    this.matchCount = n;
    this.sorted = false;
    this.renderList();
    requestAnimationFrame(() => setTimeout(() => {
      if (!this.counted) this.filter(); // unless a change has counted them meanwhile
    }, 0));
  }

  show(moveFocus) {
    if (this.state.record !== null && this.state.record !== undefined) {
      this.renderDetail(moveFocus);
      return;
    }
    this.detailView.hidden = true;
    this.listView.hidden = false;
    document.title = this.pageTitle;
    this.filter();
    this.renderList();
    if (moveFocus) this.search.focus();
  }

  renderFacets(counts, totals) {
    this.facets.forEach((facet, f) => {
      const select = this.selects[facet.param];
      const wanted = this.state.filters[facet.param] || '';
      const options = [['', `全部（${totals[f]}）`]];
      for (const key of facet.order) {
        const label = key === NONE ? (facet.noneLabel || '（空）') : this.data.display(facet.field, key);
        options.push([key, `${label}（${counts[f][facet.keyOf.get(key)]}）`]);
      }
      // A value from a shared URL that no record has stays selected, so the empty result explains itself.
      if (wanted && !facet.keyOf.has(wanted)) options.push([wanted, `${wanted}（0）`]);
      const signature = options.map(([value]) => value).join('\u0000');
      if (this.optionSets.get(select) !== signature) {
        select.replaceChildren(...options.map(([value]) => el('option', { value })));
        this.optionSets.set(select, signature);
      }
      options.forEach(([, text], i) => {
        if (select.options[i].textContent !== text) select.options[i].textContent = text;
      });
      if (select.value !== wanted) select.value = wanted;
    });
  }

  pageCount() {
    return Math.max(1, Math.ceil(this.matchCount / this.data.table.pageSize));
  }

  renderList() {
    const pages = this.pageCount();
    this.state.page = Math.min(Math.max(1, this.state.page), pages);
    const list = this.sortedMatches();
    const start = (this.state.page - 1) * this.data.table.pageSize;
    const end = Math.min(start + this.data.table.pageSize, this.matchCount);
    const query = listQuery(this.state).toString();
    const detailPrefix = location.pathname + '?' + (query ? query + '&' : '') + 'record=';
    const rows = [];
    for (let i = start; i < end; i++) rows.push(this.renderRow(list[i], detailPrefix));
    if (rows.length === 0) {
      rows.push(el('tr', null, [el('td', { colspan: this.columns.length, className: 'dir-empty', text: '没有符合条件的记录。' })]));
    }
    this.tbody.replaceChildren(...rows);

    this.count.textContent = `共 ${this.matchCount} 条记录`;
    const chosen = (this.state.q ? 1 : 0) + Object.keys(this.state.filters).length;
    this.filterSummary.textContent = chosen ? `检索与筛选（已选 ${chosen} 项）` : '检索与筛选';
    this.count.dataset.count = String(this.matchCount);
    this.csvButton.disabled = this.jsonButton.disabled = this.matchCount === 0;
    this.pageLabel.textContent = `第 ${this.state.page} / ${pages} 页`;
    this.prev.disabled = this.state.page <= 1;
    this.next.disabled = this.state.page >= pages;

    const sort = parseSort(this.state.sort, (name) => this.data.has(name));
    for (const [field, th] of Object.entries(this.headers)) {
      if (sort && sort.field === field) th.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
  }

  renderRow(r, detailPrefix) {
    // A copy of one empty row, filled in: cheaper than building each row's cells anew.
    if (!this.emptyRow) {
      this.emptyRow = el('tr', null, this.columns.map((column) => (column.link
        ? el('td', null, [el('a', { target: '_self' })])
        : el('td', { className: this.data.isNumeric(column.field) ? 'dir-num' : null }))));
    }
    const row = this.emptyRow.cloneNode(true);
    this.columns.forEach((column, i) => {
      const text = this.data.display(column.field, this.data.value(r, column.field));
      if (column.link) {
        const id = String(this.data.value(r, RECORD_ID));
        const link = row.cells[i].firstChild;
        link.href = detailPrefix + encodeURIComponent(id);
        link.dataset.record = id;
        link.textContent = text;
      } else {
        row.cells[i].textContent = text;
      }
    });
    return row;
  }

  renderDetail(moveFocus) {
    const data = this.data;
    const back = el('a', { href: urlFor(listQuery(this.state), location), 'data-list': true, target: '_self', className: 'dir-back', text: '← 返回名录' });
    const r = data.findRecord(this.state.record);
    const content = [el('p', null, [back])];
    this.detailToken++;
    this.detailView.removeAttribute('aria-busy');
    if (r === -1) {
      content.push(el('h2', { id: 'dir-detail-title', tabindex: '-1', text: '未找到该记录' }),
        el('p', { className: 'dir-missing', role: 'alert', text: `名录中没有编号为“${this.state.record}”的记录。它可能已被更正或编号有误，请返回名录重新检索。` }));
      document.title = '未找到记录 - ' + this.pageTitle;
    } else {
      const name = this.data.value(r, 'enterprise_name');
      const heading = name === null ? String(this.state.record) : String(name);
      const body = el('div', { className: 'dir-detail-body' });
      content.push(el('h2', { id: 'dir-detail-title', tabindex: '-1', text: heading }), body);
      if (data.sample) content.push(el('p', { className: 'dir-sample-note', text: data.sample.note }));
      const report = this.feedbackLink(String(this.state.record));
      if (report) content.push(report);
      document.title = heading + ' - ' + this.pageTitle;
      this.fillDetail(body, r, this.detailToken);
    }
    this.detailView.replaceChildren(...content);
    this.listView.hidden = true;
    this.detailView.hidden = false;
    if (moveFocus) {
      this.root.scrollIntoView({ block: 'start' });
      this.detailView.querySelector('h2').focus({ preventScroll: true });
    }
  }

  /** 纠错 for one record: the footer's link (page, dataset, version) naming the record and its address. */
  feedbackLink(id) {
    const footer = document.querySelector('a.feedback-link[data-feedback]');
    if (!footer) return null;
    const url = new URL(footer.href);
    url.searchParams.set('page', (url.searchParams.get('page') || location.pathname) + '?record=' + encodeURIComponent(id));
    url.searchParams.set('item', '名录记录 ' + id);
    return el('p', { className: 'feedback-item__wrap' },
      [el('a', { href: url.href, className: 'feedback-item', 'data-feedback': '', text: '纠错（此记录）' })]);
  }

  /** The record's fields: at once when its details file is already here, else as soon as it arrives. */
  fillDetail(body, r, token) {
    const values = this.data.record(r);
    if (values) {
      body.replaceChildren(this.fieldList(values));
      return;
    }
    body.replaceChildren(el('p', { className: 'dir-loading', text: '正在载入记录详情……' }));
    this.detailView.setAttribute('aria-busy', 'true');
    this.data.details.load(this.data.details.fileOf(r)).then(() => {
      if (token !== this.detailToken) return; // the reader has moved on to another view
      this.detailView.removeAttribute('aria-busy');
      body.replaceChildren(this.fieldList(this.data.record(r)));
    }, (error) => {
      if (token !== this.detailToken) return;
      this.detailView.removeAttribute('aria-busy');
      body.replaceChildren(el('p', { className: 'dir-error', role: 'alert',
        text: `记录详情载入失败（${error.message}）。请稍后重试，或在“开放数据”页面下载完整数据。` }));
    });
  }

  fieldList(values) {
    const list = el('dl', { className: 'dir-fields' });
    this.data.fields.forEach((field, i) => {
      list.append(el('dt', { text: field.title || field.name }), this.detailValue(field, values[i]));
    });
    return list;
  }

  detailValue(field, value) {
    const dd = el('dd', { 'data-field': field.name });
    if (isEmpty(value)) {
      dd.append(el('span', { className: 'dir-none', text: '—' }));
      return dd;
    }
    const shown = this.data.display(field.name, value);
    dd.append(shown);
    if (shown !== String(value) && !(typeof value === 'number')) {
      dd.append(' ', el('code', { className: 'dir-code', text: String(value) }));
    }
    if (field.unit) dd.append(' ', el('span', { className: 'dir-unit', text: field.unit }));
    return dd;
  }

  /* downloads: every match, every field, in the current order */

  download(format) {
    const count = this.matchCount;
    const list = this.sortedMatches().slice(0, count); // the rows as they are now, whatever happens meanwhile
    const pending = this.data.details.loadRows(list, count);
    if (pending === null) {
      this.save(format, list);
      return;
    }
    this.downloadStatus.textContent = '正在准备下载……';
    this.downloadToken++;
    const token = this.downloadToken;
    pending.then(() => {
      if (token !== this.downloadToken || !this.root.isConnected) return; // a later click wins
      this.downloadStatus.textContent = '';
      this.save(format, list);
    }, (error) => {
      if (token !== this.downloadToken) return;
      this.downloadStatus.textContent = `准备下载失败（${error.message}），请稍后重试。`;
    });
  }

  /** The downloaded file holds the matches; a sample's file also marks every record as the package's
      own downloads do: first the field sample.mark.name with the value sample.mark.value. The CSV is
      for people, like the package's Excel CSV: a BOM (so Excel reads the Chinese) and, beside each
      coded field, its name (city_code → city_name, audit_nature → audit_nature_name). */
  save(format, list) {
    const data = this.data;
    const mark = data.sample && data.sample.mark ? data.sample.mark : null;
    const names = (mark ? [mark.name] : []).concat(data.fields.map((f) => f.name));
    const row = (r) => (mark ? [mark.value] : []).concat(data.record(r));
    let text;
    let type;
    if (format === 'csv') {
      const coded = names.map((name) => Boolean(data.codes[name] || (data.byName[name] || {}).labels));
      const header = [];
      names.forEach((name, c) => {
        header.push(name);
        if (coded[c]) header.push(name.endsWith('_code') ? name.slice(0, -5) + '_name' : name + '_name');
      });
      const lines = [header.map(csvCell).join(',')];
      for (const r of list) {
        const cells = [];
        row(r).forEach((value, c) => {
          cells.push(value);
          if (coded[c]) cells.push(data.display(names[c], value));
        });
        lines.push(cells.map(csvCell).join(','));
      }
      text = '\ufeff' + lines.join('\r\n') + '\r\n';
      type = 'text/csv;charset=utf-8';
    } else {
      const records = [];
      for (const r of list) {
        const values = row(r);
        const record = {};
        names.forEach((name, c) => { record[name] = values[c]; });
        records.push(record);
      }
      text = JSON.stringify(records, null, 1) + '\n';
      type = 'application/json;charset=utf-8';
    }
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = el('a', { href: url, download: `${this.downloadName}-filtered.${format}`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
}

/** One CSV cell by RFC 4180: empty for null, quoted when it holds a comma, quote or line break. */
function csvCell(value) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/* ---------- start-up ---------- */

function fail(root, message) {
  root.removeAttribute('aria-busy');
  root.replaceChildren(el('p', { className: 'dir-error', role: 'alert', text: message }));
}

// The page preloads the list (<link rel="preload" as="fetch" crossorigin>) and requests this module itself
// (async, right after the container): the fetch below is handed the response the browser already has.
async function startDirectory() {
  const root = document.getElementById('enterprise-directory');
  if (!root || root.dataset.dirStarted) return;
  root.dataset.dirStarted = 'true';
  const source = new URL(root.dataset.src || 'directory.json', location.href);
  if (source.origin !== location.origin) {
    fail(root, '名录数据地址无效。');
    return;
  }
  root.setAttribute('aria-busy', 'true');
  root.append(el('p', { className: 'dir-loading', text: '正在载入名录数据……' }));
  let data;
  try {
    const json = await fetchJSON(source.href);
    if (!json || !Array.isArray(json.fields) || !json.columns || !json.details) throw new Error('格式不符');
    data = new Dataset(json, source);
  } catch (error) {
    fail(root, `名录数据载入失败（${error.message}）。请稍后重试，或在“开放数据”页面下载完整数据。`);
    return;
  }
  new Directory(root, data);
}

onReady(startDirectory);
