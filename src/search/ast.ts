// Parsed forms of MLflow's search filters and order_by clauses (spec §5).
// Parsers produce these; evaluators and store backends consume them.

export type RunEntity = "metric" | "param" | "tag" | "attribute" | "dataset";

export type Comparator =
  | "="
  | "!="
  | ">"
  | ">="
  | "<"
  | "<="
  | "LIKE"
  | "ILIKE"
  | "IN"
  | "NOT IN"
  | "IS NULL"
  | "IS NOT NULL";

/** One `<entity>.<key> <op> <value>` term; a filter is the AND of its terms. */
export interface Comparison<E extends string = RunEntity> {
  entity: E;
  /** Canonical key: attribute aliases are resolved (`created` → `start_time`, `run name` → `run_name`). */
  key: string;
  op: Comparator;
  /** number for numeric comparisons, string for string ones, string[] for IN lists, null for IS [NOT] NULL. */
  value: number | string | string[] | null;
}

export interface OrderTerm<E extends string = RunEntity> {
  entity: E;
  key: string;
  ascending: boolean;
}

export type RunFilter = Comparison<RunEntity>[];
export type RunOrder = OrderTerm<RunEntity>[];

export type ExperimentEntity = "attribute" | "tag";
export type ExperimentFilter = Comparison<ExperimentEntity>[];
export type ExperimentOrder = OrderTerm<ExperimentEntity>[];
