// The experiments page: sidebar, the selected experiments' header, and the runs view.

import { formatTime } from "../lib/format.ts";
import { loggedModelsUrl } from "../lib/links.ts";
import type { WireExperiment } from "../lib/wire.ts";
import type { SidebarExperiment } from "../islands/experiment-sidebar.tsx";
import type { RunsViewProps } from "../islands/runs-view.tsx";
import { Island } from "./island.tsx";

export const NOTE_TAG = "mlflow.note.content";

export interface ExperimentsPageProps {
  base: string;
  sidebar: SidebarExperiment[];
  showDeleted: boolean;
  selected: WireExperiment[];
  runs: RunsViewProps | null;
}

export function ExperimentsPage(p: ExperimentsPageProps) {
  const ids = p.selected.map((e) => e.experiment_id);
  return (
    <div class="experiments-layout">
      <Island
        name="ExperimentSidebar"
        props={{ base: p.base, experiments: p.sidebar, selected: ids, showDeleted: p.showDeleted }}
      />
      <div class="experiment-main">
        {p.selected.length === 0 && (
          <div class="empty-state">
            <h1>No experiment yet</h1>
            <p>Create one with “+ New”, or log runs with the MLflow client against this server.</p>
          </div>
        )}
        {p.selected.length === 1 && <ExperimentHeader base={p.base} e={p.selected[0]} />}
        {p.selected.length > 1 && (
          <header class="exp-header">
            <h1>{p.selected.length} experiments</h1>
            <p class="muted">{p.selected.map((e) => e.name).join(", ")}</p>
          </header>
        )}
        {p.runs && <Island name="RunsView" props={p.runs} />}
      </div>
    </div>
  );
}

function ExperimentHeader({ base, e }: { base: string; e: WireExperiment }) {
  const note = e.tags?.find((t) => t.key === NOTE_TAG)?.value ?? "";
  const userTags = (e.tags ?? []).filter((t) => !t.key.startsWith("mlflow."));
  return (
    <header class="exp-header">
      <h1>
        {e.name}
        {e.lifecycle_stage === "deleted" && <span class="badge deleted">deleted</span>}
      </h1>
      <dl class="facts">
        <dt>ID</dt>
        <dd>{e.experiment_id}</dd>
        <dt>Artifact location</dt>
        <dd class="mono">{e.artifact_location}</dd>
        <dt>Created</dt>
        <dd>{formatTime(e.creation_time)}</dd>
        <dt>Models</dt>
        <dd>
          <a href={loggedModelsUrl(base, e.experiment_id)}>Logged models</a>
        </dd>
      </dl>
      <div class="exp-meta">
        <Island
          name="DescriptionEditor"
          props={{ base, target: { kind: "experiment", id: e.experiment_id }, text: note, compact: true }}
        />
        <Island
          name="TagEditor"
          props={{ base, target: { kind: "experiment", id: e.experiment_id }, tags: userTags, compact: true }}
        />
      </div>
    </header>
  );
}
