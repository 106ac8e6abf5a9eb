// (to be written)

import type { OpTable } from "./types.ts";

export const CORE_LINALG_OPS: OpTable = {};
