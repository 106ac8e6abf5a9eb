// Numpy-style multidirectional broadcasting for elementwise ops, planned once per call as "blocks": the
// output is cut into runs along its innermost dimensions where every input either advances by one element or
// repeats one element. Same-shape operands make one block; "[N,C] op [C]" and "[N,1] op [1,C]" make N blocks
// of C; a kernel's inner loop then only adds a step (0 or 1) per input, never computes a multi-index.

/** A writable array of tensor elements (typed array, or string[] for string tensors). */
export interface Vec<T = number> {
  readonly length: number;
  [i: number]: T;
}

export interface BroadcastPlan {
  dims: number[];
  size: number;
  /** Length of each block (the merged innermost dimensions). */
  inner: number;
  /** Per input: 1 when it advances within a block, 0 when it repeats one element. */
  steps: number[];
  /** Merged outer dimensions, outermost first, that the blocks walk with an odometer. */
  outer: number[];
  /** Per input, its element stride along each outer dimension (0 where broadcast); [] with no outer ones. */
  outerStrides: number[][];
}

/** The broadcast output shape of `shapes`, or an Error naming the incompatible dimension. */
export function broadcastShape(op: string, shapes: readonly (readonly number[])[]): number[] {
  let rank = 0;
  for (const s of shapes) if (s.length > rank) rank = s.length;
  const out: number[] = [];
  for (let i = 0; i < rank; i++) out.push(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] !== 1) {
        throw new Error(
          `${op}: shapes ${shapes.map((x) => `[${x.join(",")}]`).join(" and ")} cannot be broadcast`,
        );
      }
      out[o] = d;
    }
  }
  return out;
}

/** How to walk the broadcast of `shapes` block by block (an Error if they do not broadcast). */
export function broadcastPlan(op: string, shapes: readonly (readonly number[])[]): BroadcastPlan {
  const dims = broadcastShape(op, shapes);
  const rank = dims.length, count = shapes.length;
  let size = 1;
  for (let i = 0; i < rank; i++) size *= dims[i];
  // Every input either as large as the output (then laid out like it) or a single element: one block.
  const steps = new Array<number>(count);
  let single = true;
  for (let k = 0; k < count && single; k++) {
    let n = 1;
    for (const d of shapes[k]) n *= d;
    steps[k] = n === size ? 1 : 0;
    single = n === size || n === 1;
  }
  if (single || size === 0) {
    return { dims, size, inner: size, steps, outer: [], outerStrides: [] };
  }
  // Walk the output dimensions from the innermost, skipping extent 1, and merge a dimension into the run
  // outside it when every input stays contiguous (or stays repeated) across both. groups[g] is a merged
  // extent, strides[k][g] input k's stride along it, innermost group first.
  const groups: number[] = [];
  const strides: number[][] = [];
  const acc = new Array<number>(count).fill(1);
  for (let k = 0; k < count; k++) strides.push([]);
  for (let i = rank - 1; i >= 0; i--) {
    const d = dims[i];
    if (d === 1) continue;
    const g = groups.length - 1;
    let merge = g >= 0;
    for (let k = 0; k < count; k++) {
      const s = shapes[k], j = s.length - rank + i;
      const st = j >= 0 && s[j] !== 1 ? acc[k] : 0;
      if (j >= 0) acc[k] *= s[j];
      strides[k].push(st);
      if (merge && st !== strides[k][g] * groups[g]) merge = false;
    }
    if (merge) {
      groups[g] *= d;
      for (let k = 0; k < count; k++) strides[k].pop();
    } else {
      groups.push(d);
    }
  }
  for (let k = 0; k < count; k++) steps[k] = strides[k][0] === 0 ? 0 : 1;
  return {
    dims,
    size,
    inner: groups[0],
    steps,
    outer: groups.slice(1).reverse(),
    outerStrides: strides.map((st) => st.slice(1).reverse()),
  };
}

/**
 * Calls `block(blockIndex, offsets)` for every block of the plan, in output order; `offsets[k]` is where input
 * k's run starts. The output run starts at blockIndex * plan.inner. `offsets` is reused between calls.
 */
export function forEachBlock(plan: BroadcastPlan, block: (b: number, offsets: number[]) => void): void {
  const n = plan.steps.length;
  // Plain arrays: a typed array costs more to allocate than a whole small call takes.
  const offsets = new Array<number>(n).fill(0);
  if (plan.size === 0) return;
  const outer = plan.outer;
  if (outer.length === 0) {
    block(0, offsets);
    return;
  }
  const depth = outer.length;
  const counters = new Array<number>(depth).fill(0);
  const blocks = plan.size / plan.inner;
  for (let b = 0; b < blocks; b++) {
    block(b, offsets);
    // Odometer over the outer dimensions, innermost fastest.
    for (let d = depth - 1; d >= 0; d--) {
      if (++counters[d] < outer[d]) {
        for (let k = 0; k < n; k++) offsets[k] += plan.outerStrides[k][d];
        break;
      }
      counters[d] = 0;
      for (let k = 0; k < n; k++) offsets[k] -= plan.outerStrides[k][d] * (outer[d] - 1);
    }
  }
}
