/// <reference lib="dom" />
// Keeps view settings in the page URL (replaceState), so a view can be shared or reloaded as it is.

export function setQueryParams(values: Record<string, string | null>): void {
  const url = new URL(location.href);
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === "") url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  const next = `${url.pathname}${url.search}${url.hash}`;
  if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, "", next);
}
