// Figures as every page of the site writes them (builder/render/formatting.py number()): a whole number
// without ".0", other numbers with the digits they have (rounded to six places to shed floating-point
// noise), thousands separators only from five integer digits up (12,345 but 1901 and 2022).
// Pure: imports nothing, touches no DOM (tests/js/format.test.mjs).

export function formatNumber(value) {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return String(value);
  const [whole, fraction] = Math.abs(value).toFixed(6).replace(/\.?0+$/, '').split('.');
  const sign = value < 0 && (whole !== '0' || fraction) ? '-' : '';
  return sign + (whole.length >= 5 ? whole.replace(/\B(?=(\d{3})+$)/g, ',') : whole) + (fraction ? '.' + fraction : '');
}
