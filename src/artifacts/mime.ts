// MIME type of a downloaded artifact, guessed from its name as MLflow does: source, config and log
// files (and MLmodel / MLproject, which have no extension) are text/plain so the UI can preview them;
// other known extensions get their usual type; the rest are application/octet-stream.

const TEXT_EXTENSIONS = new Set([
  "txt",
  "log",
  "err",
  "cfg",
  "conf",
  "cnf",
  "cf",
  "ini",
  "properties",
  "prop",
  "hocon",
  "toml",
  "yaml",
  "yml",
  "xml",
  "json",
  "js",
  "py",
  "py3",
  "csv",
  "tsv",
  "md",
  "rst",
  "ipynb",
  "MLmodel",
  "MLproject",
]);

/** Extension (lower case) → type, for the kinds of files runs usually log. */
const BY_EXTENSION: Record<string, string> = {
  txt: "text/plain",
  csv: "text/csv",
  json: "application/json",
  xml: "application/xml",
  js: "text/javascript",
  py: "text/x-python",
  md: "text/markdown",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  mjs: "text/javascript",
  sh: "text/x-sh",
  c: "text/x-csrc",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  bmp: "image/bmp",
  webp: "image/webp",
  avif: "image/avif",
  svg: "image/svg+xml",
  tif: "image/tiff",
  tiff: "image/tiff",
  ico: "image/vnd.microsoft.icon",
  pdf: "application/pdf",
  zip: "application/zip",
  tar: "application/x-tar",
  "7z": "application/x-7z-compressed",
  h5: "application/x-hdf5",
  wasm: "application/wasm",
  bin: "application/octet-stream",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  avi: "video/x-msvideo",
  mp3: "audio/mpeg",
  wav: "audio/x-wav",
  ogg: "audio/ogg",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

/** Compression suffixes: Python's guesser gives no type for `x.gz`, and the inner type for `x.tar.gz`. */
const ENCODINGS = new Set(["gz", "bz2", "xz", "br", "z"]);

export function guessMimeType(fileName: string): string {
  const name = fileName.slice(fileName.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  // A leading dot (".bashrc") is a hidden file's name, not an extension.
  const ext = dot > 0 ? name.slice(dot + 1) : "";
  if (TEXT_EXTENSIONS.has(ext === "" ? name : ext)) return "text/plain";
  if (ext === "") return "application/octet-stream";
  let lower = ext.toLowerCase();
  if (ENCODINGS.has(lower)) {
    const inner = name.slice(0, dot);
    const innerDot = inner.lastIndexOf(".");
    if (innerDot <= 0) return "application/octet-stream";
    lower = inner.slice(innerDot + 1).toLowerCase();
  }
  return BY_EXTENSION[lower] ?? "application/octet-stream";
}
