// MLflow's client prints links like `http://host/#/experiments/1/runs/<id>`; the fragment never reaches the
// server, so the client maps it to tracker's page URL on load.

import { experimentUrl } from "./links.ts";

export function mlflowHashTarget(hash: string, base: string): string | null {
  const run = /^#\/experiments\/([^/]+)\/runs\/([^/?#]+)/.exec(hash);
  if (run) return `${base}/runs/${encodeURIComponent(run[2])}`;
  const exp = /^#\/experiments\/([^/?#]+)\/?$/.exec(hash);
  if (exp) return experimentUrl(base, [exp[1]]);
  const cmp = /^#\/compare-runs\?runs=([^&]+)/.exec(hash);
  if (cmp) {
    try {
      const ids = JSON.parse(decodeURIComponent(cmp[1]));
      if (Array.isArray(ids)) {
        return `${base}/compare?runs=${ids.map(String).map(encodeURIComponent).join(",")}`;
      }
    } catch { /* not MLflow's format */ }
  }
  return null;
}

export function followMlflowHashLink(
  loc: { hash: string; replace(url: string): void },
  base: string,
): boolean {
  const target = mlflowHashTarget(loc.hash, base);
  if (target) loc.replace(target);
  return target !== null;
}
