// Every island by name. The server renders them inside <Island>; the client bundle hydrates them by name.

import type { ComponentProps } from "preact";
import { ArtifactBrowser } from "./artifact-browser.tsx";
import { ComparePlots } from "./compare-plots.tsx";
import { CompareTables } from "./compare-tables.tsx";
import { DescriptionEditor } from "./description-editor.tsx";
import { ExperimentSidebar } from "./experiment-sidebar.tsx";
import { KeyValueTable } from "./key-value-table.tsx";
import { MetricCharts } from "./metric-charts.tsx";
import { ModelVersionView } from "./model-version.tsx";
import { ModelsList, ModelView, RunModelVersions } from "./models.tsx";
import { RegisterModel } from "./register-model.tsx";
import { RunNameEditor } from "./run-name-editor.tsx";
import { RunsView } from "./runs-view.tsx";
import { TagEditor } from "./tag-editor.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";

export const ISLANDS = {
  ArtifactBrowser,
  ComparePlots,
  CompareTables,
  DescriptionEditor,
  ExperimentSidebar,
  KeyValueTable,
  MetricCharts,
  ModelsList,
  ModelVersionView,
  ModelView,
  RegisterModel,
  RunModelVersions,
  RunNameEditor,
  RunsView,
  TagEditor,
  ThemeToggle,
};

export type IslandName = keyof typeof ISLANDS;
export type IslandProps<N extends IslandName> = ComponentProps<(typeof ISLANDS)[N]>;
