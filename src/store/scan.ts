// Whole result sets of a TrackingStore's searches, read page by page: what export, import, gc and the
// dataset summary need when they want every experiment or run rather than one page of them.

import type { SearchResult, TrackingStore } from "./tracking-store.ts";
import type { Experiment, Run, ViewType } from "./types.ts";

const PAGE = 1000;

/** The pages of a search, from offset 0 in steps of pageSize until the store says there are no more. */
async function* pages<T>(
  pageSize: number,
  search: (offset: number) => Promise<SearchResult<T>>,
): AsyncGenerator<T[]> {
  for (let offset = 0;; offset += pageSize) {
    const page = await search(offset);
    yield page.items;
    if (!page.more) return;
  }
}

/** Every experiment in the view, in the store's default order. */
export async function allExperiments(store: TrackingStore, viewType: ViewType): Promise<Experiment[]> {
  const out: Experiment[] = [];
  const search = (offset: number) =>
    store.searchExperiments({ viewType, filter: [], orderBy: [], maxResults: PAGE, offset });
  for await (const items of pages(PAGE, search)) out.push(...items);
  return out;
}

/** The runs of these experiments in the view, a page at a time (none for no experiments). */
export async function* runPages(
  store: TrackingStore,
  experimentIds: string[],
  viewType: ViewType,
  pageSize = PAGE,
): AsyncGenerator<Run[]> {
  if (experimentIds.length === 0) return;
  yield* pages(
    pageSize,
    (offset) =>
      store.searchRuns({ experimentIds, viewType, filter: [], orderBy: [], maxResults: pageSize, offset }),
  );
}

/** Every run of these experiments in the view. */
export async function allRuns(
  store: TrackingStore,
  experimentIds: string[],
  viewType: ViewType,
): Promise<Run[]> {
  const out: Run[] = [];
  for await (const items of runPages(store, experimentIds, viewType)) out.push(...items);
  return out;
}
