// (to be written)

import type { OpTable } from "./types.ts";

export const ML_SVM_OPS: OpTable = {};
