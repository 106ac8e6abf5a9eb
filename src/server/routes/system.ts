// Plain routes of the tracking surface: the OpenAPI document and MLflow endpoints tracker answers with
// NOT_IMPLEMENTED (direct-to-cloud presigned URLs make no sense for a server that stores the bytes itself).

import { buildOpenApi } from "../../api/openapi.ts";
import { MlflowError } from "../../errors.ts";
import type { RootModule, RouteModule } from "../app.ts";

export const openApiRoutes: RootModule = (root) => {
  let doc: string | undefined; // built once: the schemas are static
  root.get("/api/openapi.json", (c) => {
    doc ??= JSON.stringify(buildOpenApi());
    return c.body(doc, 200, { "content-type": "application/json" });
  });
};

export const unsupportedRoutes: RouteModule = (api) => {
  for (const path of ["/artifacts/presigned-upload-url", "/artifacts/presigned-download-url"]) {
    api.post(path, () => {
      throw new MlflowError("NOT_IMPLEMENTED", `${path.slice(1)} is not supported by this server.`);
    });
  }
};
