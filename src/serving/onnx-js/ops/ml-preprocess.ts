// (to be written)

import type { OpTable } from "./types.ts";

export const ML_PREPROCESS_OPS: OpTable = {};
