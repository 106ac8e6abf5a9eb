/// <reference lib="dom" />
// The run's name as the page heading, editable in place. Saved with runs/update `run_name`, which also
// rewrites the `mlflow.runName` tag on the server, as MLflow does.

import { useMemo, useState } from "preact/hooks";
import { Api } from "../lib/api.ts";
import { errorText } from "../lib/use-action.ts";

export interface RunNameEditorProps {
  base: string;
  runId: string;
  name: string;
}

export const EMPTY_RUN_NAME = "A run name cannot be empty.";

export function RunNameEditor(p: RunNameEditorProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const [name, setName] = useState(p.name);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const next = (draft ?? "").trim();
    if (!next) {
      setError(EMPTY_RUN_NAME);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await api.mlflow("runs/update", { run_id: p.runId, run_name: next });
      setName(next);
      setDraft(null);
      // The title and breadcrumb are rendered outside this island; keep them in step.
      document.title = `${next} · tracker`;
      for (const el of document.querySelectorAll(`[data-run-name="${p.runId}"]`)) el.textContent = next;
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  if (draft === null) {
    return (
      <div class="run-name">
        <h1>{name}</h1>
        <button
          type="button"
          class="icon"
          aria-label="Rename run"
          title="Rename run"
          onClick={() => {
            setError(null);
            setDraft(name);
          }}
        >
          ✎
        </button>
      </div>
    );
  }
  return (
    <form
      class="run-name editing inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <input
        aria-label="Run name"
        value={draft}
        onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setDraft(null);
        }}
        autoFocus
      />
      <button type="submit" class="small primary" disabled={saving}>Save</button>
      <button type="button" class="small" onClick={() => setDraft(null)}>Cancel</button>
      {error && <span class="error" role="alert">{error}</span>}
    </form>
  );
}
