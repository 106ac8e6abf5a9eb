/// <reference lib="dom" />
// A markdown description (a run's or experiment's mlflow.note.content tag, as MLflow stores it; a registered
// model's or version's description field): rendered through the safe markdown renderer, edited in a
// textarea with a live preview.

import { useMemo, useState } from "preact/hooks";
import { Api } from "../lib/api.ts";
import { renderMarkdown } from "../lib/markdown.tsx";
import { errorText } from "../lib/use-action.ts";
import { setDescription, type TagTarget } from "./target.ts";

export interface DescriptionProps {
  base: string;
  target: TagTarget;
  text: string;
  compact?: boolean;
}

export function DescriptionEditor(p: DescriptionProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const [text, setText] = useState(p.text);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await setDescription(api, p.target, draft ?? "");
      setText(draft ?? "");
      setDraft(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  if (draft !== null) {
    return (
      <section class="description editing">
        <div class="split">
          <textarea
            aria-label="Description (markdown)"
            value={draft}
            rows={8}
            onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
            autoFocus
          />
          <div class="preview" aria-label="Preview">{renderMarkdown(draft)}</div>
        </div>
        {error && <div class="error" role="alert">{error}</div>}
        <div class="actions">
          <button type="button" class="primary" disabled={saving} onClick={save}>Save</button>
          <button type="button" onClick={() => setDraft(null)}>Cancel</button>
        </div>
      </section>
    );
  }
  return (
    <section class={`description ${p.compact ? "compact" : ""}`}>
      <div class="section-head">
        <h2>Description</h2>
        <button type="button" class="small" onClick={() => setDraft(text)}>
          {text ? "Edit" : "Add description"}
        </button>
      </div>
      {text
        ? <div class="description-body">{renderMarkdown(text)}</div>
        : <p class="muted">No description.</p>}
    </section>
  );
}
