// The columns of the directory's JSON (builder/derive/enterprise_directory.py encode_column), read as
// they came: {values}, {dict, codes} or {runs}, nothing done per row before a row is asked for.
// Pure: imports nothing, touches no DOM (tests/js/columns.test.mjs decodes what Python encodes).

/** A column checked against its row count: {values} | {dict, codes} | {runs, starts} (the first row of each run). */
export function decodeColumn(column, count) {
  if (column && Array.isArray(column.dict) && Array.isArray(column.codes) && column.codes.length === count) {
    return { dict: column.dict, codes: column.codes };
  }
  if (column && Array.isArray(column.values) && column.values.length === count) return { values: column.values };
  if (column && Array.isArray(column.runs)) {
    const starts = new Int32Array(column.runs.length);
    let rows = 0;
    column.runs.forEach((run, k) => {
      starts[k] = rows;
      rows += run[2];
    });
    if (rows === count) return { runs: column.runs, starts };
  }
  throw new Error('格式不符');
}

/** Row i's value. */
export function columnValue(column, i) {
  if (column.codes) return column.dict[column.codes[i]];
  if (column.values) return column.values[i];
  // The run holding row i: the last one starting at or before it.
  let low = 0;
  let high = column.starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (column.starts[mid] <= i) low = mid;
    else high = mid - 1;
  }
  const [prefix, first, , width] = column.runs[low];
  return width ? String(prefix) + String(first + i - column.starts[low]).padStart(width, '0') : String(prefix);
}

/** The row whose identifier this run-length column spells as `id`, or -1. */
export function findInRuns(column, id) {
  for (let k = 0; k < column.runs.length; k++) {
    const [prefix, first, length, width] = column.runs[k];
    const prefixText = String(prefix);
    if (!id.startsWith(prefixText)) continue;
    const digits = id.slice(prefixText.length);
    if (width === 0) {
      if (digits === '') return column.starts[k];
      continue;
    }
    if (digits.length !== width || !/^[0-9]+$/.test(digits)) continue;
    const offset = Number(digits) - first;
    if (offset >= 0 && offset < length) return column.starts[k] + offset;
  }
  return -1;
}
