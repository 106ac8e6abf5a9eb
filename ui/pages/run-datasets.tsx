// The run page's datasets: one card per dataset input with its name, digest, source and context, and the
// schema and profile behind a <details> (no script needed to expand them).

import { datasetSourceText, parseDatasetProfile, parseDatasetSchema } from "../lib/dataset.ts";

export interface RunDataset {
  name: string;
  digest: string;
  context?: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
}

const SOURCE_SHOWN = 300;

export function RunDatasets({ datasets }: { datasets: RunDataset[] }) {
  if (!datasets.length) return null;
  return (
    <section class="run-datasets">
      <h2>Datasets ({datasets.length})</h2>
      {datasets.map((d) => <DatasetCard key={`${d.name}:${d.digest}:${d.context ?? ""}`} d={d} />)}
    </section>
  );
}

function DatasetCard({ d }: { d: RunDataset }) {
  const schema = parseDatasetSchema(d.schema);
  const profile = parseDatasetProfile(d.profile);
  const source = datasetSourceText(d.source);
  return (
    <div class="dataset-card" data-dataset={d.name}>
      <div class="dataset-head">
        <strong class="dataset-name">{d.name}</strong>
        {d.context && <span class="chip dataset-context">{d.context}</span>}
        <span class="muted small">
          digest <span class="mono">{d.digest}</span>
        </span>
      </div>
      <div class="small dataset-source">
        <span class="muted">Source ({d.sourceType}):</span>{" "}
        <span class="mono" title={source.length > SOURCE_SHOWN ? source : undefined}>
          {source.length > SOURCE_SHOWN ? `${source.slice(0, SOURCE_SHOWN)}…` : source}
        </span>
      </div>
      {profile.length > 0 && (
        <dl class="facts dataset-profile">
          {profile.map((p) => [<dt key={`k${p.key}`}>{p.key}</dt>, <dd key={`v${p.key}`}>{p.value}</dd>])}
        </dl>
      )}
      {schema && (
        <details class="dataset-schema">
          <summary>
            Schema{schema.columns.length ? ` (${schema.columns.length} columns)` : ""}
          </summary>
          {schema.raw !== undefined
            ? <pre class="preview-text">{schema.raw}</pre>
            : (
              <table class="kv schema-table">
                <thead>
                  <tr>
                    <th>Column</th>
                    <th>Type</th>
                    <th>Required</th>
                  </tr>
                </thead>
                <tbody>
                  {schema.columns.map((c) => (
                    <tr key={c.name}>
                      <td class="mono">{c.name}</td>
                      <td class="mono">{c.type}</td>
                      <td>{c.required === undefined ? "" : c.required ? "yes" : "no"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
        </details>
      )}
    </div>
  );
}
