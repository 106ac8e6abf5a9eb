// Environment variables from Deno or Node. Without Deno's --allow-env every variable reads as unset.

export type EnvReader = (name: string) => string | undefined;

interface DenoEnv {
  env: { get(name: string): string | undefined };
}

export const readEnv: EnvReader = (name) => {
  const deno = (globalThis as { Deno?: DenoEnv }).Deno;
  if (deno) {
    try {
      return deno.env.get(name);
    } catch {
      return undefined;
    }
  }
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name];
};

/** The value, or undefined when unset or empty (an empty variable counts as unset, as in MLflow). */
export function envValue(name: string, env: EnvReader = readEnv): string | undefined {
  const v = env(name);
  return v === undefined || v === "" ? undefined : v;
}

export const isDeno = () => typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
