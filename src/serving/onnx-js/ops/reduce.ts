// (to be written)

import type { OpTable } from "./types.ts";

export const CORE_REDUCE_OPS: OpTable = {};
