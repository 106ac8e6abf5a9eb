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

/** An experiment's logged models (MLflow 3). A path of its own: it cannot clash with a model name. */
export function loggedModelsUrl(base: string, experimentId: string): string {
  return `${base}/logged-models?e=${encodeURIComponent(experimentId)}`;
}

export function loggedModelUrl(base: string, modelId: string): string {
  return `${base}/logged-models/${encodeURIComponent(modelId)}`;
}

export function registeredModelUrl(base: string, name: string): string {
  return `${base}/models/${encodeURIComponent(name)}`;
}

export function modelVersionUrl(base: string, name: string, version: string): string {
  return `${registeredModelUrl(base, name)}/versions/${encodeURIComponent(version)}`;
}
