/// <reference lib="dom" />
// The runs grid: only the rows and columns inside the viewport (plus a small margin) exist in the DOM, so
// 10k rows × thousands of columns cost the same as a screenful. Rows have a fixed height; the first
// column and the selection box stay pinned while scrolling sideways.

import type { ComponentChildren, VNode } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { type Column, columnGroup, columnId, columnLabel, columnWidth } from "../../lib/columns.ts";
import { formatDuration, formatTime, formatValue } from "../../lib/format.ts";
import { clampWidth } from "../../lib/view-state.ts";
import type { Cell, TableRow } from "../../lib/wire.ts";
import { type HeaderDrag, useHeaderDrag } from "./header-drag.ts";
import type { TableData } from "./use-table-data.ts";

export const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 34;
const CHECK_WIDTH = 34;
const OVERSCAN_ROWS = 6;
const OVERSCAN_PX = 300;
const SETTLE_MS = 90;
/**
 * Rows whose cell text may be (re)built in one render. A fast fling or a scrollbar jump brings a whole
 * screen of new rows in one frame; laying out and shaping all their text at once made the long frames.
 * Rows past the budget show their boxes without text and get it in the next frames, viewport first.
 */
const TEXT_ROWS_PER_FRAME = 14;
/** Viewport assumed before measuring (server render and first client render must agree). */
const DEFAULT_VIEWPORT = { width: 1200, height: 600 };

interface SlotMemo {
  i: number;
  r: TableRow | undefined;
  focus: boolean;
  sel: boolean;
  exp: boolean;
  /** Built with its cell text (rows past a frame's budget are not). */
  text: boolean;
  layout: string;
  pinned: VNode;
  main: VNode;
}

export interface GridProps {
  base: string;
  columns: Column[];
  data: TableData;
  sort: string;
  asc: boolean;
  onSort(id: string): void;
  selected: ReadonlySet<string>;
  onSelect(id: string, on: boolean): void;
  expanded: ReadonlySet<string>;
  onExpand(id: string, on: boolean): void;
  /** Escape with a selection: clear it. */
  onClearSelection(): void;
  /** User-set widths by column id. */
  widths: Readonly<Record<string, number>>;
  onResize(id: string, px: number): void;
  /** Moves the column at `from` to position `to`. */
  onMove(from: number, to: number): void;
}

const RESIZE_STEP = 16;

export function VirtualGrid(p: GridProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, left: 0, ...DEFAULT_VIEWPORT });
  const [focus, setFocus] = useState(-1);
  const frame = useRef(0);
  // Another frame of text for rows past the budget; also the first client render builds everything,
  // so hydration matches the server's HTML.
  const [, setPass] = useState(0);
  const hydrated = useRef(false);
  useEffect(() => void (hydrated.current = true), []);
  const memo = useRef(new Map<number, SlotMemo>());
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const drag = useHeaderDrag(ref, p.onResize, p.onMove);
  /** The run at the top of the viewport at the last commit: a poll that inserts rows above keeps it. */
  const topRun = useRef<{ id: string; i: number } | null>(null);
  const seenReloads = useRef(p.data.reloads);

  useLayoutEffect(() => {
    const el = ref.current!;
    const measure = () =>
      setView((v) => ({ ...v, width: el.clientWidth, height: el.clientHeight, top: el.scrollTop }));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Scroll events come faster than frames; one state update per frame keeps each render small.
  const onScroll = () => {
    // No hover while scrolling: the pointer over moving rows made the browser hit-test (and lay out)
    // on every frame. A class on the element, not state, so it costs no render.
    const grid = ref.current;
    if (grid) {
      grid.classList.add("scrolling");
      clearTimeout(idle.current);
      idle.current = setTimeout(() => grid.classList.remove("scrolling"), SETTLE_MS * 2);
    }
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = ref.current;
      if (!el) return;
      // Re-render only when the rendered row band or the horizontal position changes.
      setView((v) =>
        Math.floor(v.top / ROW_HEIGHT) === Math.floor(el.scrollTop / ROW_HEIGHT) && v.left === el.scrollLeft
          ? v
          : { ...v, top: el.scrollTop, left: el.scrollLeft }
      );
    });
  };

  const total = p.data.total;
  const bodyTop = Math.max(0, view.top);
  const first = Math.max(0, Math.floor(bodyTop / ROW_HEIGHT) - OVERSCAN_ROWS);
  const last = Math.min(total, Math.ceil((bodyTop + view.height) / ROW_HEIGHT) + OVERSCAN_ROWS);

  useEffect(() => p.data.ensure(first, last), [first, last, p.data.total, p.data.version]);

  // New or removed runs found by a poll: keep the top row where it was, unless the view is at the top
  // (there, new runs are what the user waits to see). Focus follows its run.
  useLayoutEffect(() => {
    const el = ref.current;
    const a = topRun.current;
    if (p.data.reloads !== seenReloads.current) {
      seenReloads.current = p.data.reloads;
      if (el && a && el.scrollTop > 0) {
        for (const [j, r] of p.data.rows) {
          if (r.id !== a.id) continue;
          const d = j - a.i;
          if (d) {
            el.scrollTop += d * ROW_HEIGHT;
            setFocus((f) => (f >= 0 ? f + d : f));
          }
          break;
        }
      }
    }
    const i = Math.floor(view.top / ROW_HEIGHT);
    const r = p.data.rows.get(i);
    topRun.current = r ? { id: r.id, i } : null;
  });

  // Column geometry: the first column is pinned next to the checkbox.
  const widths = p.columns.map((c, i) =>
    drag.state?.kind === "resize" && drag.state.index === i
      ? drag.state.width
      : p.widths[columnId(c)] ?? columnWidth(c)
  );
  const pinned = p.columns.length ? widths[0] : 0;
  const pinnedWidth = CHECK_WIDTH + pinned;
  const offsets: number[] = [];
  let acc = pinnedWidth;
  for (let i = 1; i < p.columns.length; i++) {
    offsets[i] = acc;
    acc += widths[i];
  }
  const totalWidth = acc;
  let c0 = 1, c1 = p.columns.length;
  while (c0 < p.columns.length && offsets[c0] + widths[c0] < view.left + pinnedWidth - OVERSCAN_PX) c0++;
  c1 = c0;
  while (c1 < p.columns.length && offsets[c1] < view.left + view.width + OVERSCAN_PX) c1++;
  const spacer = c0 < p.columns.length ? offsets[c0] - pinnedWidth : 0;
  const visibleCols = range(c0, c1);

  const openRow = (i: number) => {
    const r = p.data.rows.get(i);
    if (r) location.href = `${p.base}/runs/${encodeURIComponent(r.id)}`;
  };

  const scrollToRow = (i: number) => {
    const el = ref.current;
    if (!el) return;
    const y = i * ROW_HEIGHT;
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + ROW_HEIGHT > el.scrollTop + el.clientHeight - HEADER_HEIGHT) {
      el.scrollTop = y + ROW_HEIGHT - el.clientHeight + HEADER_HEIGHT;
    }
  };

  const toggleFocused = () => {
    const r = p.data.rows.get(focus);
    if (r) p.onSelect(r.id, !p.selected.has(r.id));
  };

  // Clicks on a row's checkbox or expander hand the keyboard back to the grid, so j/k/x keep working.
  const refocus = () => ref.current?.focus({ preventScroll: true });

  const onKeyDown = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (e.altKey || e.ctrlKey || e.metaKey || t.closest(".grid-header")) return;
    if (t !== ref.current && !(t instanceof HTMLInputElement && t.type === "checkbox")) return;
    const page = Math.max(1, Math.floor(view.height / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: focus + 1,
      ArrowUp: focus - 1,
      PageDown: focus + page,
      PageUp: focus - page,
      Home: 0,
      End: total - 1,
      j: focus + 1,
      k: focus - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      const next = Math.max(0, Math.min(total - 1, moves[e.key]));
      setFocus(next);
      scrollToRow(next);
    } else if (e.key === "Enter" && focus >= 0) {
      e.preventDefault();
      openRow(focus);
    } else if ((e.key === " " || e.key === "x") && focus >= 0) {
      e.preventDefault();
      toggleFocused();
    } else if (e.key === "Escape") {
      if (p.selected.size) p.onClearSelection();
      else setFocus(-1);
    }
  };

  // Rows live in a fixed ring of slots (row i in slot i mod N), rendered in slot order: while scrolling,
  // rows that stay visible keep their element untouched, and entering rows reuse the slot of a leaving
  // one (new text, new transform). No element is created, removed or moved (measured: those dominated).
  // The pinned columns are one sticky pane beside the scrolling one; a sticky cell per row made the
  // browser layerize ~100 sticky boxes every frame (measured: the largest cost).
  const slots = Math.ceil(view.height / ROW_HEIGHT) + 2 * OVERSCAN_ROWS + 1;
  const pinnedRows: ComponentChildren[] = [];
  const mainRows: ComponentChildren[] = [];
  // A slot whose row, state and column window did not change reuses last frame's elements, which
  // Preact then skips without diffing: a scroll frame only builds the rows that entered.
  const layoutSig = `${c0}:${c1}:${spacer}:${pinnedWidth}:${totalWidth}:${p.base}:${widths}:` +
    p.columns.map((c) => `${c.kind}${c.key}`).join("\u0000");
  const slotOf = (i: number) => ((i % slots) + slots) % slots;
  const reusable = (i: number, m: SlotMemo | undefined): m is SlotMemo => {
    const r = p.data.rows.get(i);
    return !!m && m.i === i && m.r === r && m.focus === (i === focus) &&
      m.sel === (r ? p.selected.has(r.id) : false) && m.exp === (r ? p.expanded.has(r.id) : false) &&
      m.layout === layoutSig;
  };
  // Which rows get their text this frame: those that have it already, then new ones within the budget,
  // from the top of the viewport down, then the overscan above.
  const withText = new Set<number>();
  let budget = hydrated.current ? TEXT_ROWS_PER_FRAME : Infinity;
  let deferred = false;
  const topRow = Math.min(last, Math.max(first, Math.floor(bodyTop / ROW_HEIGHT)));
  for (const i of [...range(topRow, last), ...range(first, topRow)]) {
    const m = memo.current.get(slotOf(i));
    if (reusable(i, m) && m.text) withText.add(i);
    else if (!p.data.rows.has(i)) continue;
    else if (budget > 0) {
      budget--;
      withText.add(i);
    } else deferred = true;
  }
  useEffect(() => {
    if (!deferred) return;
    const id = requestAnimationFrame(() => setPass((n) => n + 1));
    return () => cancelAnimationFrame(id);
  });
  for (let s = 0; s < slots; s++) {
    const i = first + ((s - (first % slots)) + slots) % slots;
    if (i >= last) continue;
    const r = p.data.rows.get(i);
    const sel = r ? p.selected.has(r.id) : false;
    const exp = r ? p.expanded.has(r.id) : false;
    const text = withText.has(i);
    const m = memo.current.get(s);
    if (reusable(i, m) && m.text === text) {
      pinnedRows.push(m.pinned);
      mainRows.push(m.main);
      continue;
    }
    const cls = [
      "grid-row",
      i % 2 ? "odd" : "",
      i === focus ? "focused" : "",
      sel ? "selected" : "",
      r?.deleted ? "deleted" : "",
    ].filter(Boolean).join(" ");
    const pos = `translateY(${i * ROW_HEIGHT}px)`;
    // One run is two boxes (pinned pane, scrolling pane); for assistive tech the pinned box is the row
    // and owns the other, whose cells follow the pinned ones.
    const pinnedEl = (
      <div
        key={s}
        id={`grid-row-${i}`}
        class={cls}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={r ? sel : undefined}
        aria-owns={`grid-row-${i}-main`}
        data-run-id={r?.id}
        style={{ transform: pos, width: `${pinnedWidth}px` }}
        onClick={() => setFocus(i)}
      >
        <div class="cell check" role="gridcell" style={{ width: `${CHECK_WIDTH}px` }}>
          {r && (
            <input
              type="checkbox"
              tabIndex={-1}
              aria-label={`Select run ${r.id}`}
              checked={sel}
              // onClick, not onChange: the row's click re-renders before "change" fires, which would
              // reset the box; the click already carries the new state.
              onClick={(e) => {
                e.stopPropagation();
                setFocus(i);
                p.onSelect(r.id, (e.currentTarget as HTMLInputElement).checked);
                refocus();
              }}
            />
          )}
        </div>
        {p.columns.length > 0 && (
          <div class="cell first" role="gridcell" style={{ width: `${pinned}px` }}>
            {r
              ? <FirstCell p={p} r={r} col={p.columns[0]} refocus={refocus} />
              : <span class="loading-cell" />}
          </div>
        )}
      </div>
    );
    const mainEl = (
      <div
        key={s}
        id={`grid-row-${i}-main`}
        class={cls}
        role="none"
        style={{ transform: pos, width: `${totalWidth - pinnedWidth}px` }}
        onClick={() => setFocus(i)}
      >
        {spacer > 0 && <div class="spacer" style={{ width: `${spacer}px` }} />}
        {visibleCols.map((c) => {
          // Plain text in a plain element: thousands of these change per second while scrolling.
          // The same elements whether the row has its text yet or not: filling it in only sets text.
          const col = p.columns[c];
          const v = r ? r.cells[c] : null;
          const status = col.kind === "a" && col.key === "status";
          return (
            <div
              key={c}
              class={`cell ${col.kind === "m" ? "num" : ""} ${v === null ? "empty" : ""}`}
              role="gridcell"
              title={text && v !== null ? String(v) : undefined}
              style={{ width: `${widths[c]}px` }}
            >
              {status
                ? (
                  <span class={`status status-${String(v ?? "").toLowerCase()}`}>
                    {text && v !== null ? String(v) : ""}
                  </span>
                )
                : text
                ? cellText(col, v)
                : ""}
            </div>
          );
        })}
      </div>
    );
    memo.current.set(s, {
      i,
      r,
      focus: i === focus,
      sel,
      exp,
      text,
      layout: layoutSig,
      pinned: pinnedEl,
      main: mainEl,
    });
    pinnedRows.push(pinnedEl);
    mainRows.push(mainEl);
  }

  const focusRendered = focus >= first && focus < last;
  return (
    <div
      class={`grid ${drag.state ? "dragging" : ""}`}
      role="grid"
      aria-label="Runs"
      aria-multiselectable="true"
      aria-rowcount={total + 1}
      aria-colcount={p.columns.length + 1}
      aria-activedescendant={focusRendered ? `grid-row-${focus}` : undefined}
      tabIndex={0}
      ref={ref}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
    >
      <div class="grid-header" role="row" style={{ width: `${totalWidth}px`, height: `${HEADER_HEIGHT}px` }}>
        <div
          class="cell check pinned"
          role="columnheader"
          aria-label="Selected"
          style={{ width: `${CHECK_WIDTH}px`, left: "0px" }}
        />
        {p.columns.length > 0 && (
          <HeaderCell p={p} index={0} width={pinned} pinnedLeft={CHECK_WIDTH} drag={drag} />
        )}
        {spacer > 0 && <div class="spacer" style={{ width: `${spacer}px` }} />}
        {visibleCols.map((c) => <HeaderCell key={c} p={p} index={c} width={widths[c]} drag={drag} />)}
      </div>
      <div class="grid-body" style={{ height: `${total * ROW_HEIGHT}px`, width: `${totalWidth}px` }}>
        <div class="grid-pinned" style={{ width: `${pinnedWidth}px` }}>{pinnedRows}</div>
        <div class="grid-main" style={{ left: `${pinnedWidth}px` }}>{mainRows}</div>
      </div>
    </div>
  );
}

function HeaderCell({ p, index, width, pinnedLeft, drag }: {
  p: GridProps;
  index: number;
  width: number;
  pinnedLeft?: number;
  drag: HeaderDrag;
}) {
  const col = p.columns[index];
  const id = columnId(col);
  const active = p.sort === id;
  const label = columnLabel(col);
  const d = drag.state;
  const moving = d?.kind === "move" ? d : null;
  const drop = moving && moving.over === index && moving.from !== index
    ? (moving.over < moving.from ? "drop-before" : "drop-after")
    : "";
  const cls = [
    "cell head",
    pinnedLeft !== undefined ? "pinned first" : "",
    active ? "sorted" : "",
    moving?.from === index ? "moving" : "",
    drop,
  ].filter(Boolean).join(" ");
  return (
    <div
      class={cls}
      role="columnheader"
      aria-sort={active ? (p.asc ? "ascending" : "descending") : "none"}
      title={`${columnGroup(col)}: ${label}`}
      data-col={id}
      data-index={index}
      style={{ width: `${width}px`, ...(pinnedLeft !== undefined ? { left: `${pinnedLeft}px` } : {}) }}
    >
      <button
        type="button"
        class="sort"
        onPointerDown={(e) => drag.startMove(e, index)}
        onClick={() => drag.wasDrag() || p.onSort(id)}
      >
        {col.kind !== "a" && <span class={`kind kind-${col.kind}`}>{col.kind.toUpperCase()}</span>}
        <span class="label">{label}</span>
        {active && <span class="arrow">{p.asc ? "▲" : "▼"}</span>}
      </button>
      <span
        class="col-resize"
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${label}`}
        aria-valuenow={width}
        tabIndex={0}
        onPointerDown={(e) => drag.startResize(e, index, id, width)}
        onKeyDown={(e) => {
          const step = e.key === "ArrowRight" ? RESIZE_STEP : e.key === "ArrowLeft" ? -RESIZE_STEP : 0;
          if (!step) return;
          e.preventDefault();
          p.onResize(id, clampWidth(width + step));
        }}
      />
    </div>
  );
}

function FirstCell({ p, r, col, refocus }: { p: GridProps; r: TableRow; col: Column; refocus(): void }) {
  const open = p.expanded.has(r.id);
  const indent = { paddingLeft: `${r.depth * 16}px` };
  const text = <CellText col={col} v={r.cells[0]} />;
  return (
    <span class="first-cell" style={indent}>
      {r.kids > 0
        ? (
          <button
            type="button"
            class="expander"
            aria-expanded={open}
            aria-label={`${open ? "Collapse" : "Expand"} ${r.kids} child runs`}
            tabIndex={-1}
            onClick={(e) => {
              e.stopPropagation();
              p.onExpand(r.id, !open);
              refocus();
            }}
          >
            {open ? "▾" : "▸"}
          </button>
        )
        : <span class="expander-space" />}
      <a href={`${p.base}/runs/${encodeURIComponent(r.id)}`} class="run-link">{text}</a>
      {r.kids > 0 && <span class="kids">{r.kids}</span>}
    </span>
  );
}

/** The text shown for a cell value ("—" when the run has no such value). */
export function cellText(col: Column, v: Cell): string {
  if (v === null || v === undefined) return "—";
  if (col.kind === "a" && col.key === "created") return formatTime(v as number);
  if (col.kind === "a" && col.key === "duration") return formatDuration(v as number);
  if (col.kind === "m") return formatValue(v);
  return String(v);
}

export function CellText({ col, v }: { col: Column; v: Cell }) {
  if (v === null || v === undefined) return <span class="empty">—</span>;
  if (col.kind === "a") {
    if (col.key === "created") return <span title={String(v)}>{formatTime(v as number)}</span>;
    if (col.key === "duration") return <span>{formatDuration(v as number)}</span>;
    if (col.key === "status") {
      return <span class={`status status-${String(v).toLowerCase()}`}>{String(v)}</span>;
    }
  }
  if (col.kind === "m") return <span title={String(v)}>{formatValue(v)}</span>;
  return <span title={String(v)}>{String(v)}</span>;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}
