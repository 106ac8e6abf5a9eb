// Parsed forms of the logged-model and model-registry search grammars (spec §3.5 #42, §5.4).

import type { Comparison } from "./ast.ts";

export type LoggedModelEntity = "attribute" | "metric" | "param" | "tag";
export type LoggedModelFilter = Comparison<LoggedModelEntity>[];

/** `datasets` of a logged-model search: metrics only count when logged on one of these. */
export interface DatasetRef {
  datasetName: string;
  datasetDigest?: string;
}

export interface LoggedModelOrderTerm {
  entity: "attribute" | "metric";
  /** Canonical attribute name (`creation_timestamp`, ...) or metric key. */
  key: string;
  ascending: boolean;
  datasetName?: string;
  datasetDigest?: string;
}
export type LoggedModelOrder = LoggedModelOrderTerm[];

export type RegistryEntity = "attribute" | "tag";
export type RegisteredModelFilter = Comparison<RegistryEntity>[];
export type ModelVersionFilter = Comparison<RegistryEntity>[];

export interface RegistryOrderTerm {
  /** `name`, `creation_timestamp`, `last_updated_timestamp` and, for versions, `version_number`. */
  key: string;
  ascending: boolean;
}
export type RegistryOrder = RegistryOrderTerm[];
