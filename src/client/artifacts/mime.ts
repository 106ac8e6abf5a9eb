// The Content-Type of an upload, guessed from the file name as MLflow's client does.

const TYPES: Record<string, string> = {
  json: "application/json",
  yaml: "application/x-yaml",
  yml: "application/x-yaml",
  txt: "text/plain",
  log: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  js: "text/javascript",
  mjs: "text/javascript",
};

export function guessMime(name: string): string {
  const dot = name.lastIndexOf(".");
  return (dot >= 0 && TYPES[name.slice(dot + 1).toLowerCase()]) || "application/octet-stream";
}
