// A store lookup that answers null where the store says the entity does not exist.

import { isMlflowError } from "../errors.ts";

/** f's result, or null when it fails with RESOURCE_DOES_NOT_EXIST; any other failure is thrown. */
export async function getOrNull<T>(f: () => Promise<T>): Promise<T | null> {
  try {
    return await f();
  } catch (e) {
    if (isMlflowError(e) && e.code === "RESOURCE_DOES_NOT_EXIST") return null;
    throw e;
  }
}
