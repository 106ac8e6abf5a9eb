/// <reference lib="dom" />
// A run's artifacts: a lazily loaded tree and a preview of the selected file. Images load from
// /get-artifact; text kinds are fetched (first MiBs only) and shown as text, pretty JSON, rendered
// markdown or a CSV table; HTML only inside a sandboxed iframe whose response also carries a sandbox CSP.
// The same browser shows a logged model's artifacts (modelId instead of runId).

import { Fragment } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { Api, ApiError, TRACKER_API } from "../lib/api.ts";
import { mlmodelSignature, parseCsv, previewKind, type SignatureField } from "../lib/artifact-kind.ts";
import { formatBytes } from "../lib/format.ts";
import { renderMarkdown } from "../lib/markdown.tsx";
import { setQueryParams } from "../lib/url.ts";
import { errorText } from "../lib/use-action.ts";
import type { FileInfo } from "../lib/wire.ts";

const TEXT_PREVIEW_BYTES = 1024 * 1024;
const CSV_ROWS = 500;

export interface ArtifactBrowserProps {
  base: string;
  runId?: string;
  modelId?: string;
  root: FileInfo[];
  selected?: string;
}

/** The endpoints of a run's or a logged model's artifacts. */
interface ArtifactSource {
  list(path: string): Promise<FileInfo[]>;
  download(path: string): string;
  inline(path: string, maxBytes?: number): string;
}

function artifactSource(api: Api, p: { runId?: string; modelId?: string }): ArtifactSource {
  if (p.modelId) {
    const model = `/ajax-api/2.0/mlflow/logged-models/${encodeURIComponent(p.modelId)}/artifacts`;
    return {
      list: async (path) =>
        (await api.get<{ files?: FileInfo[] }>(`${model}/directories`, {
          artifact_directory_path: path || undefined,
        })).files ?? [],
      download: (path) => api.url(`${model}/files`, { artifact_file_path: path }),
      inline: (path, maxBytes) =>
        api.url(`${TRACKER_API}/artifact-preview`, { model_id: p.modelId, path, max_bytes: maxBytes }),
    };
  }
  return {
    list: async (path) =>
      (await api.get<{ files?: FileInfo[] }>("/ajax-api/2.0/mlflow/artifacts/list", {
        run_id: p.runId,
        path,
      }))
        .files ?? [],
    download: (path) => api.url("/get-artifact", { run_id: p.runId, path }),
    inline: (path, maxBytes) =>
      api.url(`${TRACKER_API}/artifact-preview`, { run_id: p.runId, path, max_bytes: maxBytes }),
  };
}

export function ArtifactBrowser(p: ArtifactBrowserProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const source = useMemo(() => artifactSource(api, p), [api, p.runId, p.modelId]);
  const [dirs, setDirs] = useState<Record<string, FileInfo[]>>({ "": p.root });
  const [open, setOpen] = useState<Set<string>>(() => new Set(parentsOf(p.selected ?? "")));
  const [selected, setSelected] = useState<string | null>(p.selected ?? null);
  const [error, setError] = useState<string | null>(null);

  const loadDir = async (path: string) => {
    if (dirs[path]) return;
    try {
      const files = await source.list(path);
      setDirs((d) => ({ ...d, [path]: files }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  // A deep link (?path=a/b/c.txt) opens the folders on the way.
  useEffect(() => {
    for (const d of open) loadDir(d);
  }, []);

  const toggle = (path: string) => {
    const next = new Set(open);
    if (next.has(path)) next.delete(path);
    else {
      next.add(path);
      loadDir(path);
    }
    setOpen(next);
  };
  const select = (path: string) => {
    setSelected(path);
    setQueryParams({ path });
  };

  const renderDir = (path: string, depth: number) => {
    const list = dirs[path];
    if (!list) return <li class="muted small" style={{ paddingLeft: `${depth * 14 + 8}px` }}>Loading…</li>;
    return list.map((f) => {
      const name = f.path.slice(f.path.lastIndexOf("/") + 1);
      const pad = { paddingLeft: `${depth * 14 + 8}px` };
      if (f.is_dir) {
        const isOpen = open.has(f.path);
        return (
          <Fragment key={f.path}>
            <li class="dir">
              <button
                type="button"
                class="tree-item"
                style={pad}
                aria-expanded={isOpen}
                onClick={() => toggle(f.path)}
              >
                <span class="tree-icon">{isOpen ? "▾" : "▸"}</span> {name}/
              </button>
            </li>
            {isOpen && renderDir(f.path, depth + 1)}
          </Fragment>
        );
      }
      return (
        <li key={f.path} class={`file ${selected === f.path ? "selected" : ""}`}>
          <button
            type="button"
            class="tree-item"
            style={pad}
            data-path={f.path}
            onClick={() => select(f.path)}
          >
            <span class="tree-icon" /> {name} <span class="muted small">{formatBytes(f.file_size ?? 0)}</span>
          </button>
        </li>
      );
    });
  };

  const file = selected ? findFile(dirs, selected) : null;
  return (
    <section class="artifact-browser">
      <ul class="tree" aria-label="Artifacts">
        {p.root.length === 0 ? <li class="muted">No artifacts.</li> : renderDir("", 0)}
      </ul>
      <div class="artifact-preview">
        {error && <div class="error">{error}</div>}
        {selected
          ? <Preview source={source} path={selected} size={file?.file_size} />
          : <p class="muted">Select a file to preview it.</p>}
      </div>
    </section>
  );
}

function parentsOf(path: string): string[] {
  const parts = path.split("/").slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

function findFile(dirs: Record<string, FileInfo[]>, path: string): FileInfo | undefined {
  const parent = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  return dirs[parent]?.find((f) => f.path === path);
}

function Preview(p: { source: ArtifactSource; path: string; size?: number }) {
  const kind = previewKind(p.path);
  const download = p.source.download(p.path);
  const inline = p.source.inline(p.path);
  const [text, setText] = useState<{ body: string; truncated: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const needsText = kind !== "image" && kind !== "html" && kind !== "none";

  useEffect(() => {
    setText(null);
    setError(null);
    if (!needsText) return;
    const ctl = new AbortController();
    fetch(p.source.inline(p.path, TEXT_PREVIEW_BYTES), { signal: ctl.signal }).then(async (res) => {
      if (!res.ok) {
        throw new ApiError(
          res.status,
          "HTTP",
          (await res.json().catch(() => ({}))).message ?? res.statusText,
        );
      }
      setText({ body: await res.text(), truncated: res.headers.get("x-artifact-truncated") === "true" });
    }).catch((e) => {
      if (!ctl.signal.aborted) setError(errorText(e));
    });
    return () => ctl.abort();
  }, [p.path]);

  return (
    <div class="preview-pane" data-kind={kind}>
      <div class="preview-head">
        <span class="mono">{p.path}</span>
        <span class="muted small">{p.size !== undefined ? formatBytes(p.size) : ""}</span>
        <a class="button small" href={download}>Download</a>
      </div>
      {error && <div class="error">{error}</div>}
      {kind === "image" && <img class="preview-image" src={download} alt={p.path} />}
      {kind === "html" && (
        <iframe
          class="preview-html"
          sandbox=""
          src={inline}
          title={`Preview of ${p.path}`}
          referrerpolicy="no-referrer"
        />
      )}
      {kind === "none" && <p class="muted">No preview for this file type.</p>}
      {needsText && !text && !error && <p class="muted">Loading…</p>}
      {text && <TextPreview kind={kind} path={p.path} body={text.body} />}
      {text?.truncated && <p class="muted small">Showing the first {formatBytes(TEXT_PREVIEW_BYTES)}.</p>}
    </div>
  );
}

function TextPreview({ kind, path, body }: { kind: string; path: string; body: string }) {
  if (kind === "json") {
    try {
      return <pre class="preview-text">{JSON.stringify(JSON.parse(body), null, 2)}</pre>;
    } catch {
      return <pre class="preview-text">{body}</pre>;
    }
  }
  if (kind === "markdown") return <div class="preview-markdown">{renderMarkdown(body)}</div>;
  if (kind === "csv") {
    const rows = parseCsv(body, path.toLowerCase().endsWith(".tsv") ? "\t" : ",", CSV_ROWS + 1);
    const [head, ...rest] = rows;
    return (
      <div class="preview-table-wrap">
        <table class="kv preview-table">
          <thead>
            <tr>{(head ?? []).map((h, i) => <th key={i}>{h}</th>)}</tr>
          </thead>
          <tbody>
            {rest.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => <td key={j}>{c}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length > CSV_ROWS && <p class="muted small">First {CSV_ROWS} rows.</p>}
      </div>
    );
  }
  if (kind === "mlmodel") {
    const sig = mlmodelSignature(body);
    return (
      <>
        {sig && (
          <div class="signature">
            <h3>Signature</h3>
            <SignatureTable title="Inputs" fields={sig.inputs} />
            <SignatureTable title="Outputs" fields={sig.outputs} />
          </div>
        )}
        <pre class="preview-text">{body}</pre>
      </>
    );
  }
  return <pre class="preview-text">{body}</pre>;
}

function SignatureTable({ title, fields }: { title: string; fields: SignatureField[] }) {
  if (!fields.length) return null;
  return (
    <table class="kv signature-table">
      <thead>
        <tr>
          <th colSpan={2}>{title}</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.name}>
            <th scope="row">{f.name}</th>
            <td class="mono">{f.type}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
