// Model registry pages: the list of registered models, one model with its versions, one version.

import { registeredModelUrl } from "../lib/links.ts";
import { Island } from "./island.tsx";

export function ModelsPage({ base }: { base: string }) {
  return (
    <div class="models-page">
      <h1>Registered models</h1>
      <Island name="ModelsList" props={{ base }} />
    </div>
  );
}

export function ModelPage({ base, name }: { base: string; name: string }) {
  return (
    <div class="models-page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={`${base}/models`}>Registered models</a>
        <span class="sep">/</span>
        <span>{name}</span>
      </nav>
      <h1>{name}</h1>
      <Island name="ModelView" props={{ base, name }} />
    </div>
  );
}

export function ModelVersionPage({ base, name, version }: { base: string; name: string; version: string }) {
  return (
    <div class="models-page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={`${base}/models`}>Registered models</a>
        <span class="sep">/</span>
        <a href={registeredModelUrl(base, name)}>{name}</a>
        <span class="sep">/</span>
        <span>Version {version}</span>
      </nav>
      <h1>
        {name} <span class="muted">v{version}</span>
      </h1>
      <Island name="ModelVersionView" props={{ base, name, version }} />
    </div>
  );
}
