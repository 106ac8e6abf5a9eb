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
  /** Per input, its element stride along each outer dimension (0 where broadcast). */
  outerStrides: number[][];
}

/** The broadcast output shape of `shapes`, or an Error naming the incompatible dimension. */
export function broadcastShape(op: string, shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
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

export function broadcastPlan(op: string, shapes: readonly (readonly number[])[]): BroadcastPlan {
  const dims = broadcastShape(op, shapes);
  const rank = dims.length;
  let size = 1;
  for (const d of dims) size *= d;
  // Each input's stride per output dimension; dimensions of extent 1 in the output carry no information.
  const kept: number[] = [];
  const strides: number[][] = shapes.map(() => []);
  const full = shapes.map((s) => {
    const st = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let i = s.length - 1; i >= 0; i--) {
      st[rank - s.length + i] = s[i] === 1 ? 0 : acc;
      acc *= s[i];
    }
    return st;
  });
  for (let i = 0; i < rank; i++) {
    if (dims[i] === 1) continue;
    kept.push(dims[i]);
    full.forEach((st, k) => strides[k].push(st[i]));
  }
  // Merge neighbouring dimensions wherever every input stays contiguous (or stays repeated) across them.
  const merged: number[] = [];
  const mergedStrides: number[][] = shapes.map(() => []);
  for (let i = kept.length - 1; i >= 0; i--) {
    const m = merged.length;
    const canMerge = m > 0 && strides.every((st, k) => st[i] === mergedStrides[k][0] * merged[0]);
    if (canMerge) {
      merged[0] *= kept[i];
    } else {
      merged.unshift(kept[i]);
      strides.forEach((st, k) => mergedStrides[k].unshift(st[i]));
    }
  }
  if (merged.length === 0) {
    return {
      dims,
      size,
      inner: size,
      steps: shapes.map(() => 1),
      outer: [],
      outerStrides: shapes.map(() => []),
    };
  }
  const last = merged.length - 1;
  return {
    dims,
    size,
    inner: merged[last],
    steps: mergedStrides.map((st) => (st[last] === 0 ? 0 : 1)),
    outer: merged.slice(0, last),
    outerStrides: mergedStrides.map((st) => st.slice(0, last)),
  };
}

/**
 * Calls `block(blockIndex, offsets)` for every block of the plan, in output order; `offsets[k]` is where input
 * k's run starts. The output run starts at blockIndex * plan.inner. `offsets` is reused between calls.
 */
export function forEachBlock(plan: BroadcastPlan, block: (b: number, offsets: Int32Array) => void): void {
  const n = plan.steps.length;
  const offsets = new Int32Array(n);
  if (plan.size === 0) return;
  const outer = plan.outer;
  if (outer.length === 0) {
    block(0, offsets);
    return;
  }
  const depth = outer.length;
  const counters = new Int32Array(depth);
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
