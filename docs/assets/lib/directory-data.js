// The directory's records in the browser: directory.json decoded once, then only read; the other fields
// fetched from the details files when a record or a download needs them; per-row facet codes, search keys
// and sort ranks, so that filtering and sorting compare small integers. No DOM (only fetch).
import { columnValue, decodeColumn, findInRuns } from './columns.js';
import { FACETS } from './directory-state.js';
import { formatNumber } from './format.js';
import { fetchJSON } from './net.js';

export const NONE = '__none__'; // a facet's key for rows without a value
export const RECORD_ID = 'record_id';

// The page's first Intl object costs some 25 ms (ICU data), so nothing before the first rows
// uses Intl: the collator is made on the first sort by text, and numbers are grouped by hand.
let collator = null;
export function compareText(a, b) {
  if (collator === null) collator = new Intl.Collator('zh-CN', { numeric: true });
  return collator.compare(a, b);
}

export function isEmpty(value) {
  return value === null || value === undefined || value === '';
}

class Details {
  constructor(meta, base, count) {
    this.size = meta.size;
    this.fields = meta.fields;
    this.count = count;
    this.files = meta.files.map((file) => new URL(file, base));
    if (!(this.size > 0) || this.files.length !== Math.ceil(count / this.size)
        || this.files.some((url) => url.origin !== base.origin)) throw new Error('格式不符');
    this.pending = new Map(); // file index → promise of its columns
    this.ready = new Map(); // file index → its columns, once decoded
  }

  fileOf(row) {
    return Math.floor(row / this.size);
  }

  load(i) {
    if (!this.pending.has(i)) {
      const promise = fetchJSON(this.files[i].href).then((json) => {
        const start = i * this.size;
        const count = Math.min(this.size, this.count - start);
        if (json.start !== start || json.count !== count || !json.columns) throw new Error('格式不符');
        const columns = Object.create(null);
        for (const name of this.fields) columns[name] = decodeColumn(json.columns[name], count);
        this.ready.set(i, columns);
        return columns;
      });
      // A failed file may be asked for again: the next attempt fetches it anew.
      promise.catch(() => this.pending.delete(i));
      this.pending.set(i, promise);
    }
    return this.pending.get(i);
  }

  /** null when every row in rows[0 … n-1] has its details already, else a promise of the files missing. */
  loadRows(rows, n) {
    const needed = new Uint8Array(this.files.length);
    for (let k = 0; k < n; k++) needed[this.fileOf(rows[k])] = 1;
    const loads = [];
    needed.forEach((flag, i) => { if (flag && !this.ready.has(i)) loads.push(this.load(i)); });
    return loads.length ? Promise.all(loads) : null;
  }

  value(row, name) {
    const columns = this.ready.get(this.fileOf(row));
    return columns ? columnValue(columns[name], row % this.size) : undefined;
  }
}

/** directory.json (its format: builder/derive/enterprise_directory.py), read from `source` (a URL). */
export class Dataset {
  constructor(json, source) {
    this.fields = json.fields;
    this.codes = json.codes || {};
    this.count = json.count;
    this.sample = json.sample || null;
    // Null-prototype maps: a field name taken from a URL can never reach Object.prototype.
    this.byName = Object.create(null);
    this.fields.forEach((field) => { this.byName[field.name] = field; });
    this.columns = Object.create(null);
    for (const name of Object.keys(json.columns)) {
      if (name in this.byName) this.columns[name] = decodeColumn(json.columns[name], this.count);
    }
    // The table's columns ({field, label?, link?}), page size and searched fields, as builder's
    // enterprise_directory.table_spec() writes them for the page's own first rows too.
    const table = json.table;
    if (!table || !Array.isArray(table.columns) || !(table.page_size > 0) || !Array.isArray(table.search_fields)) {
      throw new Error('格式不符');
    }
    this.table = {
      columns: table.columns.filter((column) => this.has(column.field)),
      pageSize: table.page_size,
      searchFields: table.search_fields,
    };
    this.details = new Details(json.details, source, this.count);
    this.haystack = null;
    this.rank = new Map();
    this.recordIndex = null;
  }

  /** Whether the list holds this field (what can be shown, searched, filtered and sorted at once). */
  has(name) {
    return name in this.columns;
  }

  value(row, name) {
    const column = this.columns[name];
    return column === undefined ? null : columnValue(column, row);
  }

  /** Every field of a record, in schema order, once its details file is loaded (else null). */
  record(row) {
    if (!this.details.ready.has(this.details.fileOf(row))) return null;
    return this.fields.map((field) => (this.has(field.name) ? this.value(row, field.name) : this.details.value(row, field.name)));
  }

  /** Per row, the searched fields as read (a code by its name) in lower case, built on the first search or when idle. */
  searchKeys() {
    if (this.haystack) return this.haystack;
    const names = this.table.searchFields.filter((name) => this.has(name));
    const columns = names.map((name) => this.columns[name]);
    // A dictionary is lowered once per distinct value, not once per row.
    const lowered = columns.map((column, c) => (column.dict ? column.dict.map((v) => lower(this.display(names[c], v))) : null));
    const haystack = new Array(this.count);
    for (let r = 0; r < this.count; r++) {
      let key = '';
      for (let c = 0; c < columns.length; c++) {
        const column = columns[c];
        const text = column.codes ? lowered[c][column.codes[r]] : lower(this.display(names[c], columnValue(column, r)));
        key = c === 0 ? text : key + '\u0000' + text;
      }
      haystack[r] = key;
    }
    this.haystack = haystack;
    return haystack;
  }

  /** The value as a person reads it: a code's name, an enumeration's label, or the value itself. */
  display(name, value) {
    if (isEmpty(value)) return '';
    const field = this.byName[name] || {};
    const key = String(value);
    const table = this.codes[name];
    if (table && Object.prototype.hasOwnProperty.call(table, key)) return table[key];
    if (field.labels && Object.prototype.hasOwnProperty.call(field.labels, key)) return field.labels[key];
    if (typeof value === 'number' && (field.type === 'number' || field.unit)) return formatNumber(value);
    return key;
  }

  isNumeric(name) {
    const field = this.byName[name];
    return Boolean(field) && (field.type === 'number' || field.type === 'integer');
  }

  /**
   * Per row, its position in the whole data set when sorted by this field (lazily, once per field;
   * -1 for no value), so that sorting any filtered subset needs no collation: {ranks, size}.
   */
  ranks(name) {
    if (this.rank.has(name)) return this.rank.get(name);
    const column = this.columns[name];
    const n = this.count;
    const ranks = new Int32Array(n);
    let size;
    if (column.codes) {
      // A dictionary is ranked once per entry; each row then takes its entry's rank.
      const ranked = this.rankValues(name, column.dict);
      for (let r = 0; r < n; r++) ranks[r] = ranked.ranks[column.codes[r]];
      size = ranked.size;
    } else {
      const values = column.values || Array.from({ length: n }, (_, r) => columnValue(column, r));
      const ranked = this.rankValues(name, values);
      ranks.set(ranked.ranks);
      size = ranked.size;
    }
    this.rank.set(name, { ranks, size });
    return this.rank.get(name);
  }

  /** Ranks of values through their distinct sort keys: few codes, or names collated once each. */
  rankValues(name, values) {
    const numeric = this.isNumeric(name);
    const keyOf = (raw) => (isEmpty(raw) ? null : (numeric ? raw : this.display(name, raw)));
    const distinct = new Map();
    for (const raw of values) distinct.set(keyOf(raw), 0);
    const keys = [...distinct.keys()].filter((k) => k !== null);
    keys.sort(numeric ? (a, b) => a - b : compareText);
    keys.forEach((key, i) => distinct.set(key, i));
    const ranks = new Int32Array(values.length);
    values.forEach((raw, i) => { ranks[i] = isEmpty(raw) ? -1 : distinct.get(keyOf(raw)); });
    return { ranks, size: keys.length };
  }

  findRecord(id) {
    const column = this.columns[RECORD_ID];
    if (column && column.runs) return findInRuns(column, id);
    if (!this.recordIndex) {
      this.recordIndex = new Map();
      for (let r = 0; r < this.count; r++) this.recordIndex.set(String(this.value(r, RECORD_ID)), r);
    }
    return this.recordIndex.has(id) ? this.recordIndex.get(id) : -1;
  }
}

function lower(value) {
  return isEmpty(value) ? '' : String(value).toLowerCase();
}

/** Each facet as one small integer per row, so the filter pass compares integers only. */
export function buildFacets(data) {
  return FACETS.filter((facet) => data.has(facet.field)).map((facet) => {
    const column = data.columns[facet.field];
    const keyOf = new Map();
    const keys = [];
    const add = (value) => {
      const key = isEmpty(value) ? NONE : String(value);
      if (!keyOf.has(key)) { keyOf.set(key, keys.length); keys.push(key); }
      return keyOf.get(key);
    };
    let codes;
    if (column.codes) {
      // A dictionary's entries are distinct, so its codes serve as the facet's codes unchanged
      // (unless two entries read as one key, such as null and '').
      const entry = column.dict.map(add);
      codes = keys.length === column.dict.length ? column.codes : Int32Array.from(column.codes, (c) => entry[c]);
    } else {
      codes = Int32Array.from({ length: data.count }, (_, r) => add(columnValue(column, r)));
    }
    return Object.assign({}, facet, { codes, keys, keyOf, order: facetOrder(data, facet, keys) });
  });
}

/** Options in code-table order (the order the notice lists them), then any other values, empty last. */
function facetOrder(data, facet, keys) {
  const table = data.codes[facet.field] || (data.byName[facet.field] || {}).labels || {};
  const listed = Object.keys(table);
  const position = (key) => {
    const i = listed.indexOf(key);
    return i === -1 ? listed.length : i;
  };
  const sorted = keys.filter((k) => k !== NONE).sort((a, b) => {
    if (facet.newestFirst) return Number(b) - Number(a) || compareText(b, a);
    return position(a) - position(b) || compareText(a, b);
  });
  if (keys.includes(NONE)) sorted.push(NONE);
  return sorted;
}

