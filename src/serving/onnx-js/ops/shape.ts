// (to be written)

import type { OpTable } from "./types.ts";

export const CORE_SHAPE_OPS: OpTable = {};
