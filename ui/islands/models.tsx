/// <reference lib="dom" />
// Model registry pages, through the MLflow REST API: the list of registered models; one model with its
// versions, and its description, tags and aliases edited in place; one version with its description, tags
// and aliases (each version links to the run and logged model it came from); and the list of versions
// registered from a run, shown on the run page.

import { useEffect, useMemo, useState } from "preact/hooks";
import { Api } from "../lib/api.ts";
import { formatTime } from "../lib/format.ts";
import { loggedModelUrl, modelVersionUrl, runUrl } from "../lib/links.ts";
import type { WireTag } from "../lib/wire.ts";
import { DescriptionEditor } from "./description-editor.tsx";
import { TagEditor } from "./tag-editor.tsx";

const REGISTRY = "/ajax-api/2.0/mlflow";

interface WireVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  current_stage?: string;
  source?: string;
  run_id?: string;
  status?: string;
  description?: string;
  aliases?: string[];
  tags?: WireTag[];
  model_id?: string;
}

interface WireModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  latest_versions?: WireVersion[];
  tags?: WireTag[];
  aliases?: { alias: string; version: string }[];
}

/** SQL-style quoting for the registry filter grammar. */
function quote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export function modelUrl(base: string, name: string): string {
  return `${base}/models/${encodeURIComponent(name)}`;
}

function useLoad<T>(f: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null } {
  // A reload keeps showing the data it replaces, so editors do not flash away.
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    f().then(
      (data) => live && setState({ data, error: null }),
      (e) => live && setState((s) => ({ data: s.data, error: String(e.message ?? e) })),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

export interface ModelsListProps {
  base: string;
}

export function ModelsList(p: ModelsListProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const [search, setSearch] = useState("");
  const [applied, setApplied] = useState("");
  const { data, error } = useLoad(
    () =>
      api.get<{ registered_models?: WireModel[] }>(`${REGISTRY}/registered-models/search`, {
        max_results: 1000,
        filter: applied ? `name ILIKE ${quote(`%${applied}%`)}` : undefined,
        order_by: "name ASC",
      }),
    [applied],
  );
  const models = data?.registered_models ?? [];
  return (
    <section class="models-list">
      <form
        class="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(search.trim());
        }}
      >
        <input
          type="search"
          aria-label="Search models"
          placeholder="Search models by name"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Search</button>
      </form>
      {error && <div class="error">{error}</div>}
      {!data && !error && <p class="muted">Loading…</p>}
      {data && models.length === 0 && <p class="muted">No registered models.</p>}
      {models.length > 0 && (
        <table class="kv models-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Latest versions</th>
              <th>Aliases</th>
              <th>Tags</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.name} data-model={m.name}>
                <td>
                  <a href={modelUrl(p.base, m.name)}>{m.name}</a>
                </td>
                <td>
                  {(m.latest_versions ?? []).map((v) => (
                    <span key={v.version} class="chip">
                      v{v.version}
                      {v.current_stage && v.current_stage !== "None" ? ` · ${v.current_stage}` : ""}
                    </span>
                  ))}
                </td>
                <td>
                  {(m.aliases ?? []).map((a) => (
                    <span key={a.alias} class="chip">@{a.alias} → v{a.version}</span>
                  ))}
                </td>
                <td>{(m.tags ?? []).map((t) => <span key={t.key} class="chip">{t.key}={t.value}</span>)}</td>
                <td class="nowrap">{formatTime(m.last_updated_timestamp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export interface ModelViewProps {
  base: string;
  name: string;
}

export function ModelView(p: ModelViewProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const [tick, setTick] = useState(0);
  const reload = () => setTick((t) => t + 1);
  const model = useLoad(
    () => api.get<{ registered_model: WireModel }>(`${REGISTRY}/registered-models/get`, { name: p.name }),
    [p.name, tick],
  );
  const versions = useLoad(
    () =>
      api.get<{ model_versions?: WireVersion[] }>(`${REGISTRY}/model-versions/search`, {
        filter: `name = ${quote(p.name)}`,
        max_results: 1000,
      }),
    [p.name, tick],
  );
  const m = model.data?.registered_model;
  const list = [...(versions.data?.model_versions ?? [])].sort((a, b) =>
    Number(b.version) - Number(a.version)
  );
  const target = { kind: "registered-model" as const, id: p.name };
  return (
    <section class="model-view">
      {model.error && <div class="error">{model.error}</div>}
      {m && (
        <>
          <dl class="facts">
            <dt>Created</dt>
            <dd>{formatTime(m.creation_timestamp)}</dd>
            <dt>Updated</dt>
            <dd>{formatTime(m.last_updated_timestamp)}</dd>
          </dl>
          <DescriptionEditor base={p.base} target={target} text={m.description ?? ""} />
          <AliasEditor
            api={api}
            name={p.name}
            aliases={m.aliases ?? []}
            versions={list.map((v) => v.version)}
            onChange={reload}
          />
          <TagEditor base={p.base} target={target} tags={m.tags ?? []} />
        </>
      )}
      <h2 class="section-title">Versions</h2>
      {versions.error && <div class="error">{versions.error}</div>}
      <VersionsTable base={p.base} versions={list} showName={false} />
    </section>
  );
}

/**
 * Aliases of a model (or of one version when `version` is given): delete each, set one on a version.
 * MLflow moves an alias that already exists to the chosen version.
 */
function AliasEditor(
  p: {
    api: Api;
    name: string;
    aliases: { alias: string; version: string }[];
    versions: string[];
    version?: string;
    onChange: () => void;
  },
) {
  const [alias, setAlias] = useState("");
  const [version, setVersion] = useState(p.version ?? "");
  const [error, setError] = useState<string | null>(null);
  const shown = p.version ? p.aliases.filter((a) => a.version === p.version) : p.aliases;
  const chosen = p.version ?? (version || p.versions[0] || "");
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      p.onChange();
      return true;
    } catch (e) {
      setError(String((e as Error).message ?? e));
      return false;
    }
  };
  return (
    <section class="aliases">
      <h2>Aliases</h2>
      {error && <div class="error" role="alert">{error}</div>}
      {shown.length === 0 && <p class="muted small">No aliases.</p>}
      <ul class="plain-list alias-list">
        {shown.map((a) => (
          <li key={a.alias} data-alias={a.alias}>
            <span class="chip">@{a.alias}</span> → v{a.version}{" "}
            <button
              type="button"
              class="icon"
              aria-label={`Delete alias ${a.alias}`}
              onClick={() =>
                act(() =>
                  p.api.send("DELETE", `${REGISTRY}/registered-models/alias`, {
                    name: p.name,
                    alias: a.alias,
                  })
                )}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      {(p.version || p.versions.length > 0) && (
        <form
          class="inline-form add-alias"
          onSubmit={async (e) => {
            e.preventDefault();
            const name = alias.trim();
            if (!name || !chosen) return;
            const ok = await act(() =>
              p.api.mlflow("registered-models/alias", { name: p.name, alias: name, version: chosen })
            );
            if (ok) setAlias("");
          }}
        >
          <input
            aria-label="Alias"
            placeholder="alias, e.g. champion"
            value={alias}
            onInput={(e) => setAlias((e.target as HTMLInputElement).value)}
          />
          {!p.version && (
            <select
              aria-label="Alias version"
              value={chosen}
              onChange={(e) => setVersion((e.target as HTMLSelectElement).value)}
            >
              {p.versions.map((v) => <option key={v} value={v}>v{v}</option>)}
            </select>
          )}
          <button type="submit" class="small">Set alias</button>
        </form>
      )}
    </section>
  );
}

export interface ModelVersionViewProps {
  base: string;
  name: string;
  version: string;
}

/** One version: facts, links to its run and logged model, description, tags and aliases, all editable. */
export function ModelVersionView(p: ModelVersionViewProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const [tick, setTick] = useState(0);
  const { data, error } = useLoad(
    () =>
      api.get<{ model_version: WireVersion }>(`${REGISTRY}/model-versions/get`, {
        name: p.name,
        version: p.version,
      }),
    [p.name, p.version, tick],
  );
  const v = data?.model_version;
  const target = { kind: "model-version" as const, id: p.name, version: p.version };
  return (
    <section class="model-version-view">
      {error && <div class="error">{error}</div>}
      {v && (
        <>
          <dl class="facts">
            <dt>Status</dt>
            <dd>{v.status ?? ""}</dd>
            <dt>Stage</dt>
            <dd>{v.current_stage ?? ""}</dd>
            <dt>Created</dt>
            <dd>{formatTime(v.creation_timestamp)}</dd>
            <dt>Updated</dt>
            <dd>{formatTime(v.last_updated_timestamp)}</dd>
            <dt>Source</dt>
            <dd class="mono">{v.source ?? ""}</dd>
            <dt>Source run</dt>
            <dd>{v.run_id ? <a class="mono" href={runUrl(p.base, v.run_id)}>{v.run_id}</a> : "—"}</dd>
            <dt>Logged model</dt>
            <dd>
              {v.model_id ? <a class="mono" href={loggedModelUrl(p.base, v.model_id)}>{v.model_id}</a> : "—"}
            </dd>
          </dl>
          <DescriptionEditor base={p.base} target={target} text={v.description ?? ""} />
          <AliasEditor
            api={api}
            name={p.name}
            aliases={(v.aliases ?? []).map((alias) => ({ alias, version: p.version }))}
            versions={[p.version]}
            version={p.version}
            onChange={() => setTick((t) => t + 1)}
          />
          <TagEditor base={p.base} target={target} tags={v.tags ?? []} />
        </>
      )}
    </section>
  );
}

function VersionsTable(
  { base, versions, showName }: { base: string; versions: WireVersion[]; showName: boolean },
) {
  if (!versions.length) return <p class="muted">No versions.</p>;
  return (
    <table class="kv versions-table">
      <thead>
        <tr>
          {showName && <th>Model</th>}
          <th>Version</th>
          <th>Stage</th>
          <th>Aliases</th>
          <th>Source run</th>
          <th>Status</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={`${v.name}:${v.version}`} data-version={v.version}>
            {showName && (
              <td>
                <a href={modelUrl(base, v.name)}>{v.name}</a>
              </td>
            )}
            <td>
              <a href={modelVersionUrl(base, v.name, v.version)}>v{v.version}</a>
            </td>
            <td>{v.current_stage ?? ""}</td>
            <td>{(v.aliases ?? []).map((a) => <span key={a} class="chip">@{a}</span>)}</td>
            <td>
              {v.run_id
                ? <a href={runUrl(base, v.run_id)} class="mono">{v.run_id.slice(0, 12)}</a>
                : <span class="mono small">{v.source}</span>}
              {v.model_id && (
                <div>
                  <a href={loggedModelUrl(base, v.model_id)} class="mono small">{v.model_id}</a>
                </div>
              )}
            </td>
            <td>{v.status ?? ""}</td>
            <td class="nowrap">{formatTime(v.creation_timestamp)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface RunModelVersionsProps {
  base: string;
  runId: string;
}

/** Versions registered from a run (run page). Renders nothing when there are none. */
export function RunModelVersions(p: RunModelVersionsProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const { data } = useLoad(
    () =>
      api.get<{ model_versions?: WireVersion[] }>(`${REGISTRY}/model-versions/search`, {
        filter: `run_id = ${quote(p.runId)}`,
        max_results: 1000,
      }),
    [p.runId],
  );
  const list = data?.model_versions ?? [];
  if (!list.length) return null;
  return (
    <section class="run-model-versions">
      <h2>Registered model versions</h2>
      <VersionsTable base={p.base} versions={list} showName />
    </section>
  );
}
