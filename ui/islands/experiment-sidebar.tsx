/// <reference lib="dom" />
// Experiments sidebar: search, select one (click) or several (checkboxes), create, rename, delete and
// restore. Changes go through the MLflow REST API; navigation reloads the server-rendered page.

import { useMemo, useState } from "preact/hooks";
import { Api } from "../lib/api.ts";
import { experimentUrl, homeUrl } from "../lib/links.ts";
import { useAction } from "../lib/use-action.ts";

export interface SidebarExperiment {
  id: string;
  name: string;
  deleted: boolean;
}

export interface SidebarProps {
  base: string;
  experiments: SidebarExperiment[];
  selected: string[];
  showDeleted: boolean;
}

export function ExperimentSidebar(p: SidebarProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const [search, setSearch] = useState("");
  const [checked, setChecked] = useState<Set<string>>(new Set(p.selected));
  const [creating, setCreating] = useState(false);
  const [newName, setNewName] = useState("");
  const [renaming, setRenaming] = useState<string | null>(null);
  const [renameText, setRenameText] = useState("");
  const { error, act: run } = useAction();

  const open = (ids: string[], extra = "") => {
    location.href = experimentUrl(p.base, ids) + extra;
  };

  const needle = search.trim().toLowerCase();
  const list = p.experiments.filter((e) => !needle || e.name.toLowerCase().includes(needle));
  const multi = [...checked];
  const sameAsPage = multi.length === p.selected.length && multi.every((id) => p.selected.includes(id));

  return (
    <nav class="sidebar" aria-label="Experiments">
      <div class="sidebar-head">
        <h2>Experiments</h2>
        <button type="button" class="primary small" onClick={() => setCreating(!creating)}>+ New</button>
      </div>
      {creating && (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            run(async () => {
              const res = await api.mlflow<{ experiment_id: string }>("experiments/create", {
                name: newName.trim(),
              });
              open([res.experiment_id]);
            });
          }}
        >
          <input
            aria-label="New experiment name"
            placeholder="Experiment name"
            value={newName}
            onInput={(e) => setNewName((e.target as HTMLInputElement).value)}
            autoFocus
            required
          />
          <button type="submit" class="primary small">Create</button>
        </form>
      )}
      <input
        type="search"
        class="sidebar-search"
        placeholder="Search experiments"
        aria-label="Search experiments"
        value={search}
        onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
      />
      {error && <div class="error" role="alert">{error}</div>}
      {multi.length > 1 && !sameAsPage && (
        <button type="button" class="small" onClick={() => open(multi)}>Show {multi.length} together</button>
      )}
      <ul class="exp-list">
        {list.map((e) => {
          const active = p.selected.includes(e.id);
          return (
            <li
              key={e.id}
              class={`${active ? "active" : ""} ${e.deleted ? "deleted" : ""}`}
              data-exp-id={e.id}
            >
              <input
                type="checkbox"
                aria-label={`Select ${e.name}`}
                checked={checked.has(e.id)}
                onChange={(ev) => {
                  const next = new Set(checked);
                  if ((ev.target as HTMLInputElement).checked) next.add(e.id);
                  else next.delete(e.id);
                  setChecked(next);
                }}
              />
              {renaming === e.id
                ? (
                  <form
                    class="inline-form"
                    onSubmit={(ev) => {
                      ev.preventDefault();
                      run(async () => {
                        await api.mlflow("experiments/update", {
                          experiment_id: e.id,
                          new_name: renameText.trim(),
                        });
                        location.reload();
                      });
                    }}
                  >
                    <input
                      aria-label="New name"
                      value={renameText}
                      onInput={(ev) => setRenameText((ev.target as HTMLInputElement).value)}
                      autoFocus
                    />
                    <button type="submit" class="small">Save</button>
                    <button type="button" class="small" onClick={() => setRenaming(null)}>Cancel</button>
                  </form>
                )
                : (
                  <a href={experimentUrl(p.base, [e.id])} class="exp-name" title={e.name}>
                    {e.name}
                  </a>
                )}
              <span class="exp-actions">
                {!e.deleted && (
                  <button
                    type="button"
                    class="icon"
                    title="Rename"
                    aria-label={`Rename ${e.name}`}
                    onClick={() => {
                      setRenaming(e.id);
                      setRenameText(e.name);
                    }}
                  >
                    ✎
                  </button>
                )}
                {e.deleted
                  ? (
                    <button
                      type="button"
                      class="icon"
                      title="Restore"
                      aria-label={`Restore ${e.name}`}
                      onClick={() =>
                        run(async () => {
                          await api.mlflow("experiments/restore", { experiment_id: e.id });
                          location.reload();
                        })}
                    >
                      ↺
                    </button>
                  )
                  : (
                    <button
                      type="button"
                      class="icon"
                      title="Delete"
                      aria-label={`Delete ${e.name}`}
                      onClick={() =>
                        confirm(`Delete experiment "${e.name}" and its runs?`) &&
                        run(async () => {
                          await api.mlflow("experiments/delete", { experiment_id: e.id });
                          location.href = homeUrl(p.base);
                        })}
                    >
                      ✕
                    </button>
                  )}
              </span>
            </li>
          );
        })}
      </ul>
      <a
        class="small muted"
        href={homeUrl(p.base, `?${p.showDeleted ? "" : "deleted=1&"}e=${p.selected.join(",")}`)}
      >
        {p.showDeleted ? "Hide deleted experiments" : "Show deleted experiments"}
      </a>
    </nav>
  );
}
