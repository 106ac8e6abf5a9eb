// How the artifact browser previews a file, by name.

export type PreviewKind = "image" | "text" | "json" | "markdown" | "csv" | "html" | "mlmodel" | "none";

const IMAGE = ["png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico"];
const TEXT = [
  "txt",
  "log",
  "yaml",
  "yml",
  "py",
  "sh",
  "cfg",
  "ini",
  "toml",
  "js",
  "ts",
  "r",
  "sql",
  "xml",
  "java",
  "scala",
  "c",
  "h",
  "cpp",
  "go",
  "rs",
  "rb",
  "err",
  "out",
  "pbtxt",
  "properties",
  "env",
  "lock",
  "ipynb",
  "tex",
];

export function previewKind(path: string): PreviewKind {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (name === "MLmodel") return "mlmodel";
  if (/^(requirements|constraints)\.txt$|^(conda|python_env)\.yaml$|^Dockerfile$|^LICENSE$/.test(name)) {
    return "text";
  }
  const dot = name.lastIndexOf(".");
  const ext = dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
  if (IMAGE.includes(ext)) return "image";
  if (ext === "json" || ext === "jsonl") return "json";
  if (ext === "md" || ext === "markdown") return "markdown";
  if (ext === "csv" || ext === "tsv") return "csv";
  if (ext === "html" || ext === "htm") return "html";
  if (TEXT.includes(ext)) return "text";
  return "none";
}

/** A small CSV/TSV parser: quoted fields with doubled quotes, CRLF or LF, at most `maxRows` rows. */
export function parseCsv(text: string, sep: string, maxRows: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if ((field || row.length) && rows.length < maxRows) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface SignatureField {
  name: string;
  type: string;
}

/** Model signature from MLmodel YAML text: the JSON strings under `signature: inputs/outputs`. */
export function mlmodelSignature(
  yaml: string,
): { inputs: SignatureField[]; outputs: SignatureField[] } | null {
  const sig = /^signature:\s*\n((?:[ \t]+.*\n?)*)/m.exec(yaml);
  if (!sig) return null;
  const read = (name: string): SignatureField[] => {
    const text = quotedScalar(sig[1], name);
    if (text === null) return [];
    try {
      const parsed = JSON.parse(text);
      if (!Array.isArray(parsed)) return [];
      return parsed.map((f: Record<string, unknown>, i: number) => ({
        name: String(f.name ?? `[${i}]`),
        type: String(f.type ?? "") + (f["tensor-spec"] ? ` ${JSON.stringify(f["tensor-spec"])}` : ""),
      }));
    } catch {
      return [];
    }
  };
  return { inputs: read("inputs"), outputs: read("outputs") };
}

/**
 * The value of `name: '...'` in a YAML block: a single-quoted scalar, which YAML writers fold over several
 * lines when long (MLflow's signatures with a few columns already are); a line break inside folds to a space.
 */
function quotedScalar(block: string, name: string): string | null {
  const m = new RegExp(`^\\s+${name}:\\s*'`, "m").exec(block);
  if (!m) return null;
  let out = "";
  for (let i = m.index + m[0].length; i < block.length; i++) {
    const ch = block[i];
    if (ch === "'") {
      if (block[i + 1] !== "'") return out.replace(/[ \t]*\n[ \t]*/g, " ");
      out += "'";
      i++;
    } else out += ch;
  }
  return null;
}
