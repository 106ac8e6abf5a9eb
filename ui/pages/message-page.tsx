// A plain page with a heading and a message (unknown run, bad link).

import { homeUrl } from "../lib/links.ts";

export function MessagePage({ title, message, base }: { title: string; message: string; base: string }) {
  return (
    <div class="message-page">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={homeUrl(base)}>Back to experiments</a>
      </p>
    </div>
  );
}
