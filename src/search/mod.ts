// Public surface of the search grammar: parsers, compiled evaluators, orderings and page tokens.

export type * from "./ast.ts";
export {
  parseRunFilter,
  parseRunOrderBy,
  RUN_NUMERIC_ATTRIBUTES,
  RUN_STRING_ATTRIBUTES,
} from "./parse-runs.ts";
export { EXPERIMENT_ATTRIBUTES, parseExperimentFilter, parseExperimentOrderBy } from "./parse-experiments.ts";
export {
  compareRuns,
  compareRunsBase,
  compareSortValues,
  compileRunFilter,
  DATASET_CONTEXT_TAG,
  matchesRun,
  sortRuns,
} from "./evaluate-runs.ts";
export {
  compareExperiments,
  compileExperimentFilter,
  effectiveExperimentOrder,
  matchesExperiment,
} from "./evaluate-experiments.ts";
export { compileLike, like } from "./like.ts";
export { compareIds, compareStrings } from "./compare.ts";
export { decodePageToken, encodePageToken } from "./page-token.ts";
