// Addresses and downloads. The site's root is the folder above assets/: this module's own address says
// where it is, on every page and under any path prefix, with no configuration to read.

export const siteBase = new URL('../../', import.meta.url);

/** A site address (relative to the root) as an absolute URL. */
export function siteUrl(path) {
  return new URL(path, siteBase).href;
}

/** The JSON at `href`, or an error naming the HTTP status. The same mode and credentials as the pages'
    <link rel="preload" as="fetch" crossorigin>, so that the browser hands over a response it already has. */
export async function fetchJSON(href) {
  const response = await fetch(href, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}
