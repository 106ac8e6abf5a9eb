// Loads data for an island when its inputs change; a reload keeps showing the data it replaces, so
// editors fed by it do not flash away.

import { useEffect, useState } from "preact/hooks";

export function useLoad<T>(f: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    f().then(
      (data) => live && setState({ data, error: null }),
      (e) => live && setState((s) => ({ data: s.data, error: String(e.message ?? e) })),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}
