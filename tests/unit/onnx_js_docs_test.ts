// docs/onnx-js-engine.md lists the JS engine's ops: the list must be the registry's, no more, no less.

import { supportedOps } from "../../src/serving/onnx-js/ops/registry.ts";
import { assertEquals } from "./routes_harness.ts";

Deno.test("docs/onnx-js-engine.md lists exactly the ops the JS engine implements", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/onnx-js-engine.md", import.meta.url));
  const section = doc.slice(doc.indexOf("## Supported ops"));
  const listed: string[] = [];
  for (const para of section.split(/\n\n/)) {
    const m = /^(ai\.onnx(?:\.ml)?):/.exec(para.trim());
    if (!m) continue;
    for (const op of para.matchAll(/`([A-Za-z0-9]+)`/g)) {
      listed.push(m[1] === "ai.onnx" ? op[1] : `${m[1]}:${op[1]}`);
    }
  }
  assertEquals(listed.sort(), supportedOps());
});
