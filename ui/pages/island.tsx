// Server side of the islands: <Island> renders a component to HTML and records its props, which the page
// writes into one JSON data block; the client bundle hydrates each island from it (no inline script).

import { createContext, type FunctionComponent } from "preact";
import { useContext } from "preact/hooks";
import { type IslandName, type IslandProps, ISLANDS } from "../islands/registry.ts";

export const IslandPropsList = createContext<unknown[] | null>(null);

export function Island<N extends IslandName>({ name, props }: { name: N; props: IslandProps<N> }) {
  const list = useContext(IslandPropsList);
  if (!list) throw new Error("<Island> outside a page render");
  const idx = list.push(props) - 1;
  // deno-lint-ignore no-explicit-any
  const C = ISLANDS[name] as FunctionComponent<any>;
  return (
    <div class="island" data-island={name} data-props={String(idx)}>
      <C {...props} />
    </div>
  );
}

/** JSON safe inside <script type="application/json">: no "</script>", no HTML comment openers. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
