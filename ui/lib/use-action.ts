// The error line of an editing island: run an async action and show its error, clearing the last one.

import { useState } from "preact/hooks";

export const errorText = (e: unknown): string => String((e as Error)?.message ?? e);

export function useAction() {
  const [error, setError] = useState<string | null>(null);
  /** Runs `f`; true when it succeeded, otherwise its error is shown and the result is false. */
  const act = async (f: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    try {
      await f();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };
  return { error, setError, act };
}
