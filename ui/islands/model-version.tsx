/// <reference lib="dom" />
// One registered model version: its facts, links to its run and logged model, and its description, tags
// and aliases edited in place through the MLflow REST API.

import { useMemo, useState } from "preact/hooks";
import { Api } from "../lib/api.ts";
import { formatTime } from "../lib/format.ts";
import { loggedModelUrl, runUrl } from "../lib/links.ts";
import { REGISTRY, type WireVersion } from "../lib/registry-wire.ts";
import { useLoad } from "../lib/use-load.ts";
import { AliasEditor } from "./alias-editor.tsx";
import { DescriptionEditor } from "./description-editor.tsx";
import { VersionActions } from "./model-actions.tsx";
import { TagEditor } from "./tag-editor.tsx";

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
          <VersionActions api={api} name={p.name} version={p.version} />
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
