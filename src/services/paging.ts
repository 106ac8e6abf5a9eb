// One page of a store search behind MLflow's offset page tokens: what every search endpoint of the
// services does between validating its request and answering.

import { decodePageToken, encodePageToken } from "../search/page-token.ts";
import type { SearchResult } from "../store/tracking-store.ts";
import type { Page } from "../store/types.ts";

/** Runs `search` from the token's offset; the next token is handed out while the store has more. */
export async function searchPage<T>(
  pageToken: string | undefined,
  search: (offset: number) => Promise<SearchResult<T>>,
): Promise<Page<T>> {
  const offset = decodePageToken(pageToken);
  const res = await search(offset);
  return {
    items: res.items,
    nextPageToken: res.more ? encodePageToken(offset + res.items.length) : undefined,
  };
}
