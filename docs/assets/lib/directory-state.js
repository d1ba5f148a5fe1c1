// The directory's view as an address: ?q=&city=&…&sort=&page=&record=, so that every view can be shared.
// Pure: imports nothing, touches no DOM (tests/js/directory-state.test.mjs).

// The filters the directory offers, each with its address parameter and the field it filters.
export const FACETS = [
  { param: 'city', id: 'dir-facet-city', field: 'city_code', label: '地市' },
  { param: 'sector', id: 'dir-facet-sector', field: 'sector_code', noneLabel: '非重点行业' },
  { param: 'basin', id: 'dir-facet-basin', field: 'basin_code', noneLabel: '不在重点流域' },
  { param: 'year', id: 'dir-facet-year', field: 'acceptance_year', newestFirst: true },
  { param: 'mode', id: 'dir-facet-mode', field: 'audit_mode' },
  { param: 'dept', id: 'dir-facet-dept', field: 'lead_department', label: '牵头部门' },
  { param: 'nature', id: 'dir-facet-nature', field: 'audit_nature' },
];

/** The state an address's query string names: {q, filters: {param: value}, sort, page, record}. */
export function readState(search) {
  const params = new URLSearchParams(search);
  const state = { q: params.get('q') || '', filters: {}, sort: params.get('sort') || '', page: 1, record: params.get('record') };
  for (const facet of FACETS) {
    const value = params.get(facet.param);
    if (value) state.filters[facet.param] = value;
  }
  const page = parseInt(params.get('page'), 10);
  if (page > 1) state.page = page;
  return state;
}

/** The list's part of the state (no record) as query parameters, in a fixed order. */
export function listQuery(state) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const facet of FACETS) {
    if (state.filters[facet.param]) params.set(facet.param, state.filters[facet.param]);
  }
  if (state.sort) params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  return params;
}

/** The address of the same page with these parameters (and the same #fragment). */
export function urlFor(params, { pathname, hash }) {
  const query = params.toString();
  return pathname + (query ? '?' + query : '') + hash;
}

/** "field" or "-field" → {field, descending}, or null for a field the list does not hold (has(name) false). */
export function parseSort(sort, has) {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  return has(field) ? { field, descending } : null;
}
