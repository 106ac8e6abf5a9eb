/// <reference lib="dom" />
// Pointer drags on the runs grid's header: the edge handle resizes a column, the label moves it onto
// another column's place. Pointer capture keeps the drag alive outside the header; the grid re-renders
// only while a drag is under way (live width, drop marker), and the result is reported once at the end.

import type { RefObject } from "preact";
import { useRef, useState } from "preact/hooks";
import { clampWidth } from "../../lib/view-state.ts";

/** A press must travel this far before it is a move rather than a click (sort). */
const MOVE_THRESHOLD_PX = 6;

export type DragState =
  | { kind: "resize"; index: number; width: number }
  | { kind: "move"; from: number; over: number | null };

export interface HeaderDrag {
  state: DragState | null;
  startResize(e: PointerEvent, index: number, id: string, width: number): void;
  startMove(e: PointerEvent, index: number): void;
  /** True once after a press that became a move: the click that follows must not sort. */
  wasDrag(): boolean;
}

/** The header cell (its data-index) under the pointer's x, if any. */
function columnAt(grid: HTMLElement | null, x: number): number | null {
  if (!grid) return null;
  for (const el of grid.querySelectorAll<HTMLElement>(".grid-header [data-index]")) {
    const r = el.getBoundingClientRect();
    if (x >= r.left && x < r.right) return Number(el.dataset.index);
  }
  return null;
}

export function useHeaderDrag(
  grid: RefObject<HTMLElement | null>,
  onResize: (id: string, px: number) => void,
  onMove: (from: number, to: number) => void,
): HeaderDrag {
  const [state, setState] = useState<DragState | null>(null);
  const dragged = useRef(false);

  const track = (
    target: HTMLElement,
    pointerId: number,
    move: (e: PointerEvent) => void,
    end: (e: PointerEvent | null) => void,
  ) => {
    target.setPointerCapture(pointerId);
    const up = (e: PointerEvent) => {
      target.removeEventListener("pointermove", move);
      target.removeEventListener("pointerup", up);
      target.removeEventListener("pointercancel", cancel);
      end(e);
    };
    const cancel = () => {
      target.removeEventListener("pointermove", move);
      target.removeEventListener("pointerup", up);
      target.removeEventListener("pointercancel", cancel);
      end(null);
    };
    target.addEventListener("pointermove", move);
    target.addEventListener("pointerup", up);
    target.addEventListener("pointercancel", cancel);
  };

  const startResize = (e: PointerEvent, index: number, id: string, width: number) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    const x0 = e.clientX;
    let w = width;
    setState({ kind: "resize", index, width });
    track(
      e.currentTarget as HTMLElement,
      e.pointerId,
      (m) => {
        w = clampWidth(width + m.clientX - x0);
        setState({ kind: "resize", index, width: w });
      },
      (end) => {
        setState(null);
        if (end && w !== width) onResize(id, w);
      },
    );
  };

  const startMove = (e: PointerEvent, index: number) => {
    if (e.button !== 0) return;
    dragged.current = false;
    const x0 = e.clientX;
    let over: number | null = null;
    let moving = false;
    track(
      e.currentTarget as HTMLElement,
      e.pointerId,
      (m) => {
        if (!moving && Math.abs(m.clientX - x0) < MOVE_THRESHOLD_PX) return;
        const at = columnAt(grid.current, m.clientX);
        if (at !== over || !moving) {
          over = at;
          setState({ kind: "move", from: index, over });
        }
        moving = true;
      },
      (end) => {
        if (!moving) return;
        dragged.current = true;
        setState(null);
        if (end && over !== null && over !== index) onMove(index, over);
      },
    );
  };

  const wasDrag = () => {
    const was = dragged.current;
    dragged.current = false;
    return was;
  };

  return { state, startResize, startMove, wasDrag };
}
