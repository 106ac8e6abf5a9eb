/// <reference lib="dom" />
// Model registry pages, through the MLflow REST API: the list of registered models; one model with its
// versions, and its description, tags and aliases edited in place (each version links to its page, its run
// and the logged model it came from); and the list of versions registered from a run, on the run page.

import { useEffect, useMemo, useState } from "preact/hooks";
import { Api } from "../lib/api.ts";
import { formatTime } from "../lib/format.ts";
import { loggedModelUrl, modelVersionUrl, registeredModelUrl, runUrl } from "../lib/links.ts";
import { DescriptionEditor } from "./description-editor.tsx";
import { MODEL_REGISTERED, quote, REGISTRY, type WireModel, type WireVersion } from "../lib/registry-wire.ts";
import { useLoad } from "../lib/use-load.ts";
import { AliasEditor } from "./alias-editor.tsx";
import { ModelActions } from "./model-actions.tsx";
import { TagEditor } from "./tag-editor.tsx";

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
                  <a href={registeredModelUrl(p.base, m.name)}>{m.name}</a>
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
          <ModelActions api={api} name={p.name} />
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
                <a href={registeredModelUrl(base, v.name)}>{v.name}</a>
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
  const [tick, setTick] = useState(0);
  // "Register model" on the same page announces new versions (islands share no state).
  useEffect(() => {
    const reload = () => setTick((t) => t + 1);
    addEventListener(MODEL_REGISTERED, reload);
    return () => removeEventListener(MODEL_REGISTERED, reload);
  }, []);
  const { data } = useLoad(
    () =>
      api.get<{ model_versions?: WireVersion[] }>(`${REGISTRY}/model-versions/search`, {
        filter: `run_id = ${quote(p.runId)}`,
        max_results: 1000,
      }),
    [p.runId, tick],
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
