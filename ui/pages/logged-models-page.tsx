// MLflow 3 logged models: an experiment's list (name, status, created, source run, metrics, params) and
// one model's page (facts, params, metrics, tags, registered versions, artifacts).

import { formatTime, formatValue } from "../lib/format.ts";
import { experimentUrl, loggedModelsUrl, loggedModelUrl, modelVersionUrl, runUrl } from "../lib/links.ts";
import type { FileInfo, WireTag } from "../lib/wire.ts";
import { Island } from "./island.tsx";

export interface LoggedModelMetric {
  key: string;
  value: number | string;
  step: number;
  timestamp: number;
  dataset?: string;
}

export interface LoggedModelSummary {
  id: string;
  name: string;
  status: string;
  created: number;
  sourceRun: { id: string; name: string } | null;
  metrics: LoggedModelMetric[];
  params: WireTag[];
  registrations: { name: string; version: string }[];
}

export interface LoggedModelsPageProps {
  base: string;
  experiment: { id: string; name: string };
  models: LoggedModelSummary[];
  /** More models exist than the page shows. */
  more: boolean;
  /** The search filter (MLflow's logged-model grammar) and the server's message when it is invalid. */
  filter: string;
  filterError: string | null;
}

/** Chips shown per row in the list; the model page has them all. */
const CHIPS = 6;

export function statusText(status: string): string {
  return status.replace(/^LOGGED_MODEL_/, "").toLowerCase().replaceAll("_", " ");
}

export function LoggedModelsPage(p: LoggedModelsPageProps) {
  return (
    <div class="logged-models-page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={experimentUrl(p.base, [p.experiment.id])}>{p.experiment.name}</a>
        <span class="sep">/</span>
        <span>Logged models</span>
      </nav>
      <h1>Logged models</h1>
      {/* A plain GET form: the filter lives in the URL and needs no script. */}
      <form class="toolbar logged-models-filter" method="get" role="search">
        <input type="hidden" name="e" value={p.experiment.id} />
        <input
          type="search"
          name="q"
          value={p.filter}
          aria-label="Filter logged models"
          placeholder="metrics.accuracy > 0.9 AND params.C = '1.0'"
        />
        <button type="submit">Search</button>
      </form>
      {p.filterError && <div class="filter-error error" role="alert">{p.filterError}</div>}
      {p.models.length === 0
        ? <p class="muted">{p.filter ? "No logged models match." : "No logged models in this experiment."}</p>
        : (
          <table class="kv logged-models-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Created</th>
                <th>Source run</th>
                <th>Metrics</th>
                <th>Params</th>
                <th>Registered</th>
              </tr>
            </thead>
            <tbody>
              {p.models.map((m) => (
                <tr key={m.id} data-model-id={m.id}>
                  <td>
                    <a href={loggedModelUrl(p.base, m.id)}>{m.name}</a>
                  </td>
                  <td>
                    <span class={`chip model-status-${m.status.toLowerCase()}`}>{statusText(m.status)}</span>
                  </td>
                  <td class="nowrap">{formatTime(m.created)}</td>
                  <td>
                    {m.sourceRun ? <a href={runUrl(p.base, m.sourceRun.id)}>{m.sourceRun.name}</a> : "—"}
                  </td>
                  <td>
                    <Chips items={m.metrics.map((x) => `${x.key}=${formatValue(x.value)}`)} />
                  </td>
                  <td>
                    <Chips items={m.params.map((x) => `${x.key}=${x.value}`)} />
                  </td>
                  <td>
                    <Registrations base={p.base} list={m.registrations} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {p.more && <p class="muted small">Showing the newest {p.models.length} models.</p>}
    </div>
  );
}

function Chips({ items }: { items: string[] }) {
  return (
    <>
      {items.slice(0, CHIPS).map((t, i) => <span key={i} class="chip">{t}</span>)}
      {items.length > CHIPS && <span class="muted small">+{items.length - CHIPS}</span>}
    </>
  );
}

function Registrations({ base, list }: { base: string; list: { name: string; version: string }[] }) {
  return (
    <>
      {list.map((r) => (
        <a key={`${r.name}:${r.version}`} class="chip" href={modelVersionUrl(base, r.name, r.version)}>
          {r.name} v{r.version}
        </a>
      ))}
    </>
  );
}

export interface LoggedModelPageProps extends Omit<LoggedModelSummary, "registrations"> {
  base: string;
  experiment: { id: string; name: string };
  updated: number;
  modelType?: string;
  statusMessage?: string;
  artifactUri: string;
  tags: WireTag[];
  registrations: { name: string; version: string }[];
  artifacts: { root: FileInfo[]; selected?: string };
}

export function LoggedModelPage(p: LoggedModelPageProps) {
  const userTags = p.tags.filter((t) => !t.key.startsWith("mlflow."));
  const systemTags = p.tags.filter((t) => t.key.startsWith("mlflow."));
  return (
    <div class="logged-model-page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={experimentUrl(p.base, [p.experiment.id])}>{p.experiment.name}</a>
        <span class="sep">/</span>
        <a href={loggedModelsUrl(p.base, p.experiment.id)}>Logged models</a>
        <span class="sep">/</span>
        <span>{p.name}</span>
      </nav>
      <header class="run-header">
        <h1>{p.name}</h1>
        <span class={`chip model-status-${p.status.toLowerCase()}`}>{statusText(p.status)}</span>
      </header>
      <dl class="facts run-facts">
        <dt>Model ID</dt>
        <dd class="mono">{p.id}</dd>
        <dt>Experiment</dt>
        <dd>
          <a href={experimentUrl(p.base, [p.experiment.id])}>{p.experiment.name}</a>
        </dd>
        <dt>Source run</dt>
        <dd>{p.sourceRun ? <a href={runUrl(p.base, p.sourceRun.id)}>{p.sourceRun.name}</a> : "—"}</dd>
        <dt>Created</dt>
        <dd>{formatTime(p.created)}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(p.updated)}</dd>
        {p.modelType && (
          <>
            <dt>Model type</dt>
            <dd>{p.modelType}</dd>
          </>
        )}
        {p.statusMessage && (
          <>
            <dt>Status message</dt>
            <dd>{p.statusMessage}</dd>
          </>
        )}
        <dt>Artifact URI</dt>
        <dd class="mono">{p.artifactUri}</dd>
      </dl>
      <section class="model-registrations">
        <h2>Registered versions</h2>
        <Island
          name="RegisterModel"
          props={{ base: p.base, modelId: p.id, runId: p.sourceRun?.id, registrations: p.registrations }}
        />
      </section>
      <div class="two-col">
        <Island name="KeyValueTable" props={{ title: "Parameters", kind: "params", rows: p.params }} />
        <ModelMetrics metrics={p.metrics} />
      </div>
      <Island
        name="TagEditor"
        props={{ base: p.base, target: { kind: "logged-model", id: p.id }, tags: userTags, systemTags }}
      />
      <section>
        <h2>Artifacts</h2>
        <Island
          name="ArtifactBrowser"
          props={{ base: p.base, modelId: p.id, root: p.artifacts.root, selected: p.artifacts.selected }}
        />
      </section>
    </div>
  );
}

/** Metrics with the dataset each was computed on (a model may have one value per dataset). */
function ModelMetrics({ metrics }: { metrics: LoggedModelMetric[] }) {
  return (
    <section class="kv-section metrics">
      <div class="section-head">
        <h2>
          Metrics <span class="muted">({metrics.length})</span>
        </h2>
      </div>
      {metrics.length === 0 ? <p class="muted small">No metrics.</p> : (
        <table class="kv model-metrics">
          <thead>
            <tr>
              <th>Key</th>
              <th>Value</th>
              <th>Step</th>
              <th>Dataset</th>
            </tr>
          </thead>
          <tbody>
            {metrics.map((m, i) => (
              <tr key={i} data-metric={m.key}>
                <th scope="row">{m.key}</th>
                <td class="mono">{formatValue(m.value)}</td>
                <td>{m.step}</td>
                <td>{m.dataset ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
