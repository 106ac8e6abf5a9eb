/// <reference lib="dom" />
// Aliases of a registered model: listed with a delete button each, and a form that sets one on a version.

import { useState } from "preact/hooks";
import type { Api } from "../lib/api.ts";
import { REGISTRY } from "../lib/registry-wire.ts";
import { useAction } from "../lib/use-action.ts";

/** With `version`, only that version's aliases, and new ones go to it. Setting a taken alias moves it. */
export function AliasEditor(
  p: {
    api: Api;
    name: string;
    aliases: { alias: string; version: string }[];
    versions: string[];
    version?: string;
    onChange: () => void;
  },
) {
  const [alias, setAlias] = useState("");
  const [version, setVersion] = useState(p.version ?? "");
  const shown = p.version ? p.aliases.filter((a) => a.version === p.version) : p.aliases;
  const chosen = p.version ?? (version || p.versions[0] || "");
  const { error, act: run } = useAction();
  const act = (f: () => Promise<unknown>) =>
    run(async () => {
      await f();
      p.onChange();
    });
  return (
    <section class="aliases">
      <h2>Aliases</h2>
      {error && <div class="error" role="alert">{error}</div>}
      {shown.length === 0 && <p class="muted small">No aliases.</p>}
      <ul class="plain-list alias-list">
        {shown.map((a) => (
          <li key={a.alias} data-alias={a.alias}>
            <span class="chip">@{a.alias}</span> → v{a.version}{" "}
            <button
              type="button"
              class="icon"
              aria-label={`Delete alias ${a.alias}`}
              onClick={() =>
                act(() =>
                  p.api.send("DELETE", `${REGISTRY}/registered-models/alias`, {
                    name: p.name,
                    alias: a.alias,
                  })
                )}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      {(p.version || p.versions.length > 0) && (
        <form
          class="inline-form add-alias"
          onSubmit={async (e) => {
            e.preventDefault();
            const name = alias.trim();
            if (!name || !chosen) return;
            const ok = await act(() =>
              p.api.mlflow("registered-models/alias", { name: p.name, alias: name, version: chosen })
            );
            if (ok) setAlias("");
          }}
        >
          <input
            aria-label="Alias"
            placeholder="alias, e.g. champion"
            value={alias}
            onInput={(e) => setAlias((e.target as HTMLInputElement).value)}
          />
          {!p.version && (
            <select
              aria-label="Alias version"
              value={chosen}
              onChange={(e) => setVersion((e.target as HTMLSelectElement).value)}
            >
              {p.versions.map((v) => <option key={v} value={v}>v{v}</option>)}
            </select>
          )}
          <button type="submit" class="small">Set alias</button>
        </form>
      )}
    </section>
  );
}
