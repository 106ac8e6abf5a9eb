// Page URLs under the static prefix. The experiments page is the prefix itself ("/tracker", not
// "/tracker/"): the app mounts the UI's "/" route at exactly the prefix.

export function homeUrl(base: string, query = ""): string {
  return `${base || "/"}${query}`;
}

export function experimentUrl(base: string, ids: string[]): string {
  return homeUrl(base, `?e=${ids.map(encodeURIComponent).join(",")}`);
}

export function runUrl(base: string, runId: string, query = ""): string {
  return `${base}/runs/${encodeURIComponent(runId)}${query}`;
}
