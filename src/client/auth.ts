// Request headers from the environment, as MLflow's client builds them: Basic auth from
// MLFLOW_TRACKING_USERNAME/PASSWORD, else a Bearer MLFLOW_TRACKING_TOKEN.

import { type EnvReader, envValue, readEnv } from "./env.ts";

export const CLIENT_VERSION = "0.1.0";

export function defaultHeaders(env: EnvReader = readEnv): Headers {
  const headers = new Headers({ "user-agent": `tracker-client/${CLIENT_VERSION}` });
  const user = envValue("MLFLOW_TRACKING_USERNAME", env);
  const password = envValue("MLFLOW_TRACKING_PASSWORD", env);
  const token = envValue("MLFLOW_TRACKING_TOKEN", env);
  if (user !== undefined && password !== undefined) {
    headers.set("authorization", `Basic ${base64(`${user}:${password}`)}`);
  } else if (token !== undefined) {
    headers.set("authorization", `Bearer ${token}`);
  }
  return headers;
}

function base64(text: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}
