// JSON shapes of the UI endpoints (/ajax-api/2.0/tracker/...), shared by the server routes and the islands.

export type Cell = string | number | null;

/** One row of the ordered runs list: which run, how deep it is nested, how many children it has. */
export interface RowRef {
  id: string;
  depth: number;
  kids: number;
}

export interface TableRow extends RowRef {
  deleted: boolean;
  running: boolean;
  /** Aligned with the requested columns. */
  cells: Cell[];
}

export interface TableWindow {
  total: number;
  /** Names the ordered row list on the server; later windows of the same list pass it back. */
  snapshot: string;
  offset: number;
  rows: TableRow[];
  /** Answer to a change check: the list is the one the page holds (rows only when asked for). */
  unchanged?: boolean;
}

export interface RunKeys {
  metrics: string[];
  params: string[];
  tags: string[];
}

export interface Series {
  run_id: string;
  x: number[];
  /** null where the logged value is NaN or ±Infinity (a gap in the line). */
  y: (number | null)[];
  /** Points of this run inside the window before reduction. */
  total: number;
  sampled: boolean;
  /** The run is RUNNING: its chart keeps polling for new points. */
  running?: boolean;
}

/** MLflow wire shapes the islands read (subset). */
export interface WireTag {
  key: string;
  value: string;
}

export interface WireExperiment {
  experiment_id: string;
  name: string;
  lifecycle_stage: string;
  artifact_location?: string;
  creation_time?: number;
  last_update_time?: number;
  tags?: WireTag[];
}

export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}
