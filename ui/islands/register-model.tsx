/// <reference lib="dom" />
// "Register model": registers a logged model as a new version of an existing registered model or of a
// new one, as `mlflow.register_model("models:/<model_id>", name)` does (source models:/<id>, the source
// run and the model id; the server links the version back to the logged model). An MLflow 2 model (a
// run's artifact folder, no model id) is registered from runs:/<run_id>/<path>.

import { useEffect, useMemo, useState } from "preact/hooks";
import { Api, ApiError } from "../lib/api.ts";
import { modelVersionUrl } from "../lib/links.ts";
import { MODEL_REGISTERED } from "../lib/registry-wire.ts";
import { errorText } from "../lib/use-action.ts";

const NEW = "";

export interface RegisterModelProps {
  base: string;
  /** An MLflow 3 logged model, or else `artifactPath` in the run. */
  modelId?: string;
  artifactPath?: string;
  runId?: string;
  /** Versions already registered from this model. */
  registrations?: { name: string; version: string }[];
}

export function RegisterModel(p: RegisterModelProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const [open, setOpen] = useState(false);
  const [names, setNames] = useState<string[] | null>(null);
  const [choice, setChoice] = useState(NEW);
  const [newName, setNewName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(p.registrations ?? []);

  useEffect(() => {
    if (!open || names) return;
    api.get<{ registered_models?: { name: string }[] }>("/ajax-api/2.0/mlflow/registered-models/search", {
      max_results: 1000,
      order_by: "name ASC",
    }).then((r) => {
      const list = (r.registered_models ?? []).map((m) => m.name);
      setNames(list);
      if (list.length) setChoice(list[0]);
    }, (e) => setError(errorText(e)));
  }, [open]);

  const submit = async () => {
    const name = choice === NEW ? newName.trim() : choice;
    if (!name) {
      setError("Give the new model a name.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (choice === NEW) await api.mlflow("registered-models/create", { name });
      const source = p.modelId ? `models:/${p.modelId}` : `runs:/${p.runId}/${p.artifactPath ?? ""}`;
      const res = await api.mlflow<{ model_version: { name: string; version: string } }>(
        "model-versions/create",
        { name, source, run_id: p.runId, model_id: p.modelId },
      );
      setDone((d) => [...d, { name: res.model_version.name, version: res.model_version.version }]);
      dispatchEvent(new CustomEvent(MODEL_REGISTERED));
      setOpen(false);
      setNames(null);
      setNewName("");
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="register-model">
      {done.map((r) => (
        <a key={`${r.name}:${r.version}`} class="chip" href={modelVersionUrl(p.base, r.name, r.version)}>
          {r.name} v{r.version}
        </a>
      ))}
      {!open && <button type="button" class="small" onClick={() => setOpen(true)}>Register model</button>}
      {open && (
        <form
          class="inline-form register-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <select
            aria-label="Registered model"
            value={choice}
            onChange={(e) => setChoice((e.target as HTMLSelectElement).value)}
          >
            {(names ?? []).map((n) => <option key={n} value={n}>{n}</option>)}
            <option value={NEW}>New model…</option>
          </select>
          {choice === NEW && (
            <input
              aria-label="New model name"
              placeholder="model name"
              value={newName}
              onInput={(e) => setNewName((e.target as HTMLInputElement).value)}
            />
          )}
          <button type="submit" class="small primary" disabled={busy || names === null}>Register</button>
          <button type="button" class="small" onClick={() => setOpen(false)}>Cancel</button>
        </form>
      )}
      {error && <div class="error" role="alert">{error}</div>}
    </div>
  );
}
