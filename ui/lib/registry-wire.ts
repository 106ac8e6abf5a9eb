// The registry's wire shapes as the UI reads them, and the quoting of its filter grammar.

import type { WireTag } from "./wire.ts";

export const REGISTRY = "/ajax-api/2.0/mlflow";

/** Window event sent after the UI registers a model version, so other islands on the page reload. */
export const MODEL_REGISTERED = "tracker:model-registered";

export interface WireVersion {
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

export interface WireModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  latest_versions?: WireVersion[];
  tags?: WireTag[];
  aliases?: { alias: string; version: string }[];
}

/** SQL-style quoting for the registry filter grammar. */
export function quote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
