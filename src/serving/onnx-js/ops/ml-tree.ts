// (to be written)

import type { OpTable } from "./types.ts";

export const ML_TREE_OPS: OpTable = {};
