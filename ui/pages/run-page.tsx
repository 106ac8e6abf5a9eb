// A run's page: overview (facts, description, params, metrics, tags, datasets, models), charts, artifacts.
// Tabs are separate URLs (?tab=...), so each page renders only what it shows.

import { colorFor } from "../lib/colors.ts";
import { experimentUrl, loggedModelsUrl, loggedModelUrl } from "../lib/links.ts";
import { formatDuration, formatTime } from "../lib/format.ts";
import type { FileInfo, WireTag } from "../lib/wire.ts";
import type { ChartSettings } from "../islands/charts/chart-panel.tsx";
import { Island } from "./island.tsx";
import { type RunDataset, RunDatasets } from "./run-datasets.tsx";
import { statusText } from "./logged-models-page.tsx";
import { isSystemMetric, sortSystemMetrics } from "../lib/system-metrics.ts";

export type RunTab = "overview" | "charts" | "system" | "artifacts";

const TAB_LABELS: Record<RunTab, string> = {
  overview: "Overview",
  charts: "Charts",
  system: "System metrics",
  artifacts: "Artifacts",
};

export interface RunPageData {
  base: string;
  tab: RunTab;
  run: {
    id: string;
    name: string;
    experimentId: string;
    experimentName: string;
    status: string;
    lifecycle: string;
    startTime: number;
    endTime?: number;
    userId: string;
    artifactUri: string;
  };
  params: WireTag[];
  metrics: { key: string; value: number | string; step: number; timestamp: number }[];
  tags: WireTag[];
  datasets: RunDataset[];
  models: RunLoggedModel[];
  /** Logged models the run read (MLflow 3 model inputs, e.g. an evaluation run). */
  modelInputs: { id: string; name?: string }[];
  parent: { id: string; name: string } | null;
  children: { id: string; name: string; status: string }[];
  now: number;
  /** Tab-specific: artifact root listing and the deep-linked path; chart settings from the URL. */
  artifacts?: { root: FileInfo[]; selected?: string };
  charts?: {
    shown?: string[];
    x?: string;
    xKey?: string;
    logY?: boolean;
    smoothing?: number;
    search?: string;
  };
}

/** A model logged by the run: MLflow 2's log-model history entry, or an MLflow 3 logged model. */
export interface RunLoggedModel {
  artifactPath: string;
  flavors: string[];
  created?: string;
  modelId?: string;
  name?: string;
  status?: string;
  registrations?: { name: string; version: string }[];
}

const NOTE_TAG = "mlflow.note.content";

export function tagValue(tags: WireTag[], key: string): string | undefined {
  return tags.find((t) => t.key === key)?.value;
}

export function RunPage(d: RunPageData) {
  const r = d.run;
  const href = (tab: RunTab) =>
    `${d.base}/runs/${encodeURIComponent(r.id)}${tab === "overview" ? "" : `?tab=${tab}`}`;
  return (
    <div class="run-page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={experimentUrl(d.base, [r.experimentId])}>{d.run.experimentName}</a>
        <span class="sep">/</span>
        <span data-run-name={r.id}>{r.name}</span>
      </nav>
      <header class="run-header">
        <span class="color-dot" style={{ background: colorFor(r.id) }} />
        <Island name="RunNameEditor" props={{ base: d.base, runId: r.id, name: r.name }} />
        <span class={`status status-${r.status.toLowerCase()}`}>{r.status}</span>
        {r.lifecycle === "deleted" && <span class="badge deleted">deleted</span>}
      </header>
      <nav class="tabs" role="tablist">
        {(["overview", "charts", "system", "artifacts"] as RunTab[]).map((t) => (
          <a
            key={t}
            role="tab"
            aria-selected={d.tab === t}
            class={d.tab === t ? "current" : ""}
            href={href(t)}
          >
            {TAB_LABELS[t]}
          </a>
        ))}
      </nav>
      {d.tab === "overview" && <Overview d={d} />}
      {d.tab === "charts" && (
        <Island
          name="MetricCharts"
          props={{
            ...chartProps(d, d.metrics.map((m) => m.key).filter((k) => !isSystemMetric(k)).sort(), "step"),
            shown: d.charts?.shown,
          }}
        />
      )}
      {d.tab === "system" && <SystemTab d={d} />}
      {d.tab === "artifacts" && (
        <Island
          name="ArtifactBrowser"
          props={{
            base: d.base,
            runId: r.id,
            root: d.artifacts?.root ?? [],
            selected: d.artifacts?.selected,
          }}
        />
      )}
    </div>
  );
}

/** System metrics (system/...) as charts grouped by kind, against wall-clock time by default (as MLflow). */
function SystemTab({ d }: { d: RunPageData }) {
  const r = d.run;
  const keys = sortSystemMetrics(d.metrics.map((m) => m.key).filter(isSystemMetric));
  // A running run may start logging them later: its tab keeps the (live) charts.
  if (!keys.length && r.status !== "RUNNING") {
    return (
      <p class="muted system-empty">
        No system metrics logged. MLflow logs them (CPU, memory, GPU, network, disk) when the run is started
        with <code>mlflow.enable_system_metrics_logging()</code> or <code>log_system_metrics=True</code>.
      </p>
    );
  }
  return (
    <Island
      name="MetricCharts"
      props={{
        ...chartProps(d, keys, "time"),
        shown: d.charts?.shown ?? keys,
        defaultX: "time",
        system: true,
      }}
    />
  );
}

/** The MetricCharts island of this run: its line, the metrics offered, the view kept in the URL. */
function chartProps(d: RunPageData, metricKeys: string[], defaultX: "step" | "time") {
  const r = d.run;
  return {
    base: d.base,
    runs: [{ id: r.id, name: r.name, color: colorFor(r.id), running: r.status === "RUNNING" }],
    metricKeys,
    settings: {
      x: (d.charts?.x ?? defaultX) as ChartSettings["x"],
      xKey: d.charts?.xKey,
      logY: d.charts?.logY,
      smoothing: d.charts?.smoothing,
      search: d.charts?.search,
    },
  };
}

function Overview({ d }: { d: RunPageData }) {
  const r = d.run;
  const t = (k: string) => tagValue(d.tags, k);
  const duration = r.endTime !== undefined
    ? r.endTime - r.startTime
    : r.status === "RUNNING"
    ? d.now - r.startTime
    : undefined;
  const source = t("mlflow.source.name");
  const commit = t("mlflow.source.git.commit");
  const userTags = d.tags.filter((x) => !x.key.startsWith("mlflow."));
  const systemTags = d.tags.filter((x) => x.key.startsWith("mlflow.") && x.key !== NOTE_TAG);
  const chartHref = `${d.base}/runs/${encodeURIComponent(r.id)}?tab=charts&charts=`;
  return (
    <div class="overview">
      <dl class="facts run-facts">
        <dt>Run ID</dt>
        <dd class="mono">{r.id}</dd>
        <dt>Experiment</dt>
        <dd>
          <a href={experimentUrl(d.base, [r.experimentId])}>{r.experimentName}</a>
        </dd>
        <dt>Status</dt>
        <dd>{r.status}</dd>
        <dt>Started</dt>
        <dd>{formatTime(r.startTime)}</dd>
        <dt>Ended</dt>
        <dd>{r.endTime !== undefined ? formatTime(r.endTime) : "—"}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(duration) || "—"}</dd>
        <dt>User</dt>
        <dd>{r.userId || "—"}</dd>
        <dt>Source</dt>
        <dd class="mono">
          {source ?? "—"}
          {t("mlflow.source.type") ? <span class="muted">({t("mlflow.source.type")})</span> : null}
        </dd>
        {t("mlflow.project.entryPoint") && (
          <>
            <dt>Entry point</dt>
            <dd class="mono">{t("mlflow.project.entryPoint")}</dd>
          </>
        )}
        <dt>Git commit</dt>
        <dd class="mono">{commit ?? "—"}</dd>
        <dt>Parent run</dt>
        <dd>
          {d.parent ? <a href={`${d.base}/runs/${encodeURIComponent(d.parent.id)}`}>{d.parent.name}</a> : "—"}
        </dd>
        <dt>Lifecycle</dt>
        <dd>{r.lifecycle}</dd>
        <dt>Artifact URI</dt>
        <dd class="mono">{r.artifactUri}</dd>
      </dl>
      <Island
        name="DescriptionEditor"
        props={{ base: d.base, target: { kind: "run", id: r.id }, text: t(NOTE_TAG) ?? "" }}
      />
      <div class="two-col">
        <Island name="KeyValueTable" props={{ title: "Parameters", kind: "params", rows: d.params }} />
        <Island
          name="KeyValueTable"
          props={{ title: "Metrics", kind: "metrics", rows: d.metrics, chartHref }}
        />
      </div>
      <Island
        name="TagEditor"
        props={{ base: d.base, target: { kind: "run", id: r.id }, tags: userTags, systemTags }}
      />
      <Island name="RunModelVersions" props={{ base: d.base, runId: r.id }} />
      {d.children.length > 0 && (
        <section>
          <h2>Child runs ({d.children.length})</h2>
          <ul class="plain-list">
            {d.children.map((c) => (
              <li key={c.id}>
                <a href={`${d.base}/runs/${encodeURIComponent(c.id)}`}>{c.name}</a>{" "}
                <span class={`status status-${c.status.toLowerCase()}`}>{c.status}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <RunDatasets datasets={d.datasets} />
      {d.models.length > 0 && <LoggedModels d={d} />}
      {d.modelInputs.length > 0 && (
        <section class="run-model-inputs">
          <h2>Input models</h2>
          <ul class="plain-list">
            {d.modelInputs.map((m) => (
              <li key={m.id}>
                <a href={loggedModelUrl(d.base, m.id)}>{m.name ?? m.id}</a>{" "}
                <span class="mono muted small">{m.id}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function LoggedModels({ d }: { d: RunPageData }) {
  const r = d.run;
  return (
    <section class="run-logged-models">
      <div class="section-head">
        <h2>Logged models</h2>
        <a class="small" href={loggedModelsUrl(d.base, r.experimentId)}>
          All logged models of the experiment
        </a>
      </div>
      <table class="kv logged-models-table">
        <tbody>
          {d.models.map((m, i) => (
            <tr key={m.modelId ?? `h${i}`} data-model-id={m.modelId}>
              <td>
                {m.modelId ? <a href={loggedModelUrl(d.base, m.modelId)}>{m.name ?? m.modelId}</a> : (
                  <a
                    href={`${d.base}/runs/${encodeURIComponent(r.id)}?tab=artifacts&path=${
                      encodeURIComponent(`${m.artifactPath}/MLmodel`)
                    }`}
                  >
                    {m.artifactPath}
                  </a>
                )}
                {m.modelId && <div class="mono muted small">{m.modelId}</div>}
              </td>
              <td class="small">
                {m.status && (
                  <span class={`chip model-status-${m.status.toLowerCase()}`}>{statusText(m.status)}</span>
                )} <span class="muted">{m.flavors.join(", ")} {m.created ?? ""}</span>
              </td>
              <td>
                {(m.modelId || m.artifactPath) && (
                  <Island
                    name="RegisterModel"
                    props={{
                      base: d.base,
                      modelId: m.modelId,
                      artifactPath: m.modelId ? undefined : m.artifactPath,
                      runId: r.id,
                      registrations: m.registrations,
                    }}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
