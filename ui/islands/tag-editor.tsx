/// <reference lib="dom" />
// Tags of a run or experiment: add, edit the value, delete. System tags (mlflow.*) are listed read-only
// behind a toggle, since MLflow's client and UI own them.

import { useMemo, useState } from "preact/hooks";
import { Api } from "../lib/api.ts";
import { useAction } from "../lib/use-action.ts";
import type { WireTag } from "../lib/wire.ts";
import { deleteTag, setTag, type TagTarget } from "./target.ts";

export interface TagEditorProps {
  base: string;
  target: TagTarget;
  tags: WireTag[];
  systemTags?: WireTag[];
  compact?: boolean;
}

export function TagEditor(p: TagEditorProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const [tags, setTags] = useState(p.tags);
  const [editing, setEditing] = useState<string | null>(null);
  const [value, setValue] = useState("");
  const [newKey, setNewKey] = useState("");
  const [newValue, setNewValue] = useState("");
  const [showSystem, setShowSystem] = useState(false);
  const { error, act } = useAction();
  const upsert = (key: string, v: string) =>
    act(async () => {
      await setTag(api, p.target, key, v);
      setTags((ts) => {
        const i = ts.findIndex((t) => t.key === key);
        return i < 0 ? [...ts, { key, value: v }] : ts.map((t) => (t.key === key ? { key, value: v } : t));
      });
      setEditing(null);
    });

  return (
    <section class={`tags ${p.compact ? "compact" : ""}`}>
      <div class="section-head">
        <h2>Tags</h2>
        {p.systemTags && p.systemTags.length > 0 && (
          <label class="small muted">
            <input
              type="checkbox"
              checked={showSystem}
              onChange={(e) => setShowSystem((e.target as HTMLInputElement).checked)}
            />{" "}
            system tags ({p.systemTags.length})
          </label>
        )}
      </div>
      {error && <div class="error" role="alert">{error}</div>}
      {(tags.length > 0 || showSystem) && (
        <table class="kv tag-table">
          <tbody>
            {tags.map((t) => (
              <tr key={t.key} data-tag={t.key}>
                <th scope="row">{t.key}</th>
                <td>
                  {editing === t.key
                    ? (
                      <form
                        class="inline-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          upsert(t.key, value);
                        }}
                      >
                        <input
                          aria-label={`Value of ${t.key}`}
                          value={value}
                          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
                          autoFocus
                        />
                        <button type="submit" class="small primary">Save</button>
                        <button type="button" class="small" onClick={() => setEditing(null)}>Cancel</button>
                      </form>
                    )
                    : <span class="tag-value">{t.value}</span>}
                </td>
                <td class="row-actions">
                  {editing !== t.key && (
                    <>
                      <button
                        type="button"
                        class="icon"
                        aria-label={`Edit tag ${t.key}`}
                        onClick={() => {
                          setEditing(t.key);
                          setValue(t.value);
                        }}
                      >
                        ✎
                      </button>
                      <button
                        type="button"
                        class="icon"
                        aria-label={`Delete tag ${t.key}`}
                        onClick={() =>
                          act(async () => {
                            await deleteTag(api, p.target, t.key);
                            setTags((ts) => ts.filter((x) => x.key !== t.key));
                          })}
                      >
                        ✕
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
            {showSystem && p.systemTags?.map((t) => (
              <tr key={t.key} class="system">
                <th scope="row">{t.key}</th>
                <td colSpan={2}>
                  <span class="tag-value">{t.value}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tags.length === 0 && !showSystem && <p class="muted small">No tags.</p>}
      <form
        class="inline-form add-tag"
        onSubmit={(e) => {
          e.preventDefault();
          if (!newKey.trim()) return;
          upsert(newKey.trim(), newValue).then(() => {
            setNewKey("");
            setNewValue("");
          });
        }}
      >
        <input
          aria-label="New tag key"
          placeholder="key"
          value={newKey}
          onInput={(e) => setNewKey((e.target as HTMLInputElement).value)}
        />
        <input
          aria-label="New tag value"
          placeholder="value"
          value={newValue}
          onInput={(e) => setNewValue((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="small">Add tag</button>
      </form>
    </section>
  );
}
