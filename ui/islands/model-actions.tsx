/// <reference lib="dom" />
// Renaming and deleting a registered model, and deleting one of its versions, through the MLflow REST API.
// Each asks first (deletes cannot be undone) and leaves for the page that still exists.

import { useState } from "preact/hooks";
import type { Api } from "../lib/api.ts";
import { registeredModelUrl } from "../lib/links.ts";
import { REGISTRY } from "../lib/registry-wire.ts";
import { useAction } from "../lib/use-action.ts";

export function ModelActions({ api, name }: { api: Api; name: string }) {
  const [draft, setDraft] = useState<string | null>(null);
  const { error, act } = useAction();
  return (
    <div class="model-actions">
      {draft === null
        ? (
          <>
            <button type="button" class="small" onClick={() => setDraft(name)}>Rename</button>
            <button
              type="button"
              class="small danger"
              onClick={() =>
                confirm(`Delete the registered model "${name}" and all its versions?`) &&
                act(async () => {
                  await api.send("DELETE", `${REGISTRY}/registered-models/delete`, { name });
                  location.assign(`${api.base}/models`);
                })}
            >
              Delete model
            </button>
          </>
        )
        : (
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const next = draft.trim();
              if (!next || next === name) return setDraft(null);
              act(async () => {
                await api.mlflow("registered-models/rename", { name, new_name: next });
                location.assign(registeredModelUrl(api.base, next));
              });
            }}
          >
            <input
              aria-label="Rename model to"
              value={draft}
              onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
              autoFocus
            />
            <button type="submit" class="small primary">Save</button>
            <button type="button" class="small" onClick={() => setDraft(null)}>Cancel</button>
          </form>
        )}
      {error && <div class="error" role="alert">{error}</div>}
    </div>
  );
}

export function VersionActions({ api, name, version }: { api: Api; name: string; version: string }) {
  const { error, act } = useAction();
  return (
    <div class="model-actions">
      <button
        type="button"
        class="small danger"
        onClick={async () => {
          if (!confirm(`Delete version ${version} of "${name}"?`)) return;
          await act(async () => {
            await api.send("DELETE", `${REGISTRY}/model-versions/delete`, { name, version });
            location.assign(registeredModelUrl(api.base, name));
          });
        }}
      >
        Delete version
      </button>
      {error && <div class="error" role="alert">{error}</div>}
    </div>
  );
}
