// A small markdown renderer for run and experiment descriptions. It builds Preact elements, never HTML
// strings, so user text is always escaped by Preact; raw HTML in the source stays literal text. Links keep
// only http(s), mailto and relative URLs, and open with rel=noopener.

import type { ComponentChildren, VNode } from "preact";

const SAFE_URL = /^(https?:|mailto:|\/|#|\.\.?\/)/i;

export function safeUrl(url: string): string | null {
  const u = url.trim();
  // Control characters and whitespace inside a scheme are how "java\nscript:" slips past naive checks.
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x20]/.test(u)) return null;
  if (SAFE_URL.test(u)) return u;
  // A bare relative path without a scheme ("docs/a.md") is fine; anything with "x:" before a slash is not.
  return /^[^:/?#]+(\/|$)/.test(u) && !u.includes(":") ? u : null;
}

/** Inline spans: code, links, bold, italic. */
export function renderInline(text: string, key = 0): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let rest = text;
  let k = key * 1000;
  const patterns: [RegExp, (m: RegExpExecArray) => ComponentChildren][] = [
    [/`([^`]+)`/, (m) => <code key={k++}>{m[1]}</code>],
    [/\[([^\]]+)\]\(([^)\s]+)\)/, (m) => {
      const href = safeUrl(m[2]);
      return href
        ? (
          <a key={k++} href={href} rel="noopener noreferrer nofollow" target="_blank">
            {renderInline(m[1], k)}
          </a>
        )
        : m[0];
    }],
    [/\*\*([^*]+)\*\*/, (m) => <strong key={k++}>{renderInline(m[1], k)}</strong>],
    [/__([^_]+)__/, (m) => <strong key={k++}>{renderInline(m[1], k)}</strong>],
    [/\*([^*]+)\*/, (m) => <em key={k++}>{renderInline(m[1], k)}</em>],
    [/(?<![\w])_([^_]+)_(?![\w])/, (m) => <em key={k++}>{renderInline(m[1], k)}</em>],
  ];
  while (rest) {
    let best: { m: RegExpExecArray; render: (m: RegExpExecArray) => ComponentChildren } | null = null;
    for (const [re, render] of patterns) {
      const m = re.exec(rest);
      if (m && (!best || m.index < best.m.index)) best = { m, render };
    }
    if (!best) {
      out.push(rest);
      break;
    }
    if (best.m.index > 0) out.push(rest.slice(0, best.m.index));
    out.push(best.render(best.m));
    rest = rest.slice(best.m.index + best.m[0].length);
  }
  return out;
}

interface ListItem {
  ordered: boolean;
  text: string;
}

/** Block structure: headings, fenced code, quotes, lists, rules and paragraphs. */
export function renderMarkdown(src: string): VNode {
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  const blocks: ComponentChildren[] = [];
  let i = 0;
  let key = 0;
  const para: string[] = [];
  const flushPara = () => {
    if (para.length) blocks.push(<p key={key++}>{joinLines(para, key)}</p>);
    para.length = 0;
  };
  while (i < lines.length) {
    const line = lines[i];
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flushPara();
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trimStart().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      blocks.push(<pre key={key++}><code>{body.join("\n")}</code></pre>);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flushPara();
      const level = Math.min(6, heading[1].length + 1); // h1 is the page title
      const Tag = `h${level}` as "h2";
      blocks.push(<Tag key={key++}>{renderInline(heading[2].replace(/\s+#+\s*$/, ""), key)}</Tag>);
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flushPara();
      blocks.push(<hr key={key++} />);
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      flushPara();
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) body.push(lines[i++].replace(/^\s*>\s?/, ""));
      blocks.push(<blockquote key={key++}>{renderMarkdown(body.join("\n"))}</blockquote>);
      continue;
    }
    const item = listItem(line);
    if (item) {
      flushPara();
      const items: ListItem[] = [];
      while (i < lines.length) {
        const it = listItem(lines[i]);
        if (it && it.ordered === item.ordered) items.push(it);
        else if (lines[i].trim() && /^\s{2,}/.test(lines[i]) && items.length) {
          items[items.length - 1].text += " " + lines[i].trim();
        } else break;
        i++;
      }
      const lis = items.map((it, j) => <li key={j}>{renderInline(it.text, key + j)}</li>);
      blocks.push(item.ordered ? <ol key={key++}>{lis}</ol> : <ul key={key++}>{lis}</ul>);
      key += items.length;
      continue;
    }
    if (!line.trim()) flushPara();
    else para.push(line);
    i++;
  }
  flushPara();
  return <div class="markdown">{blocks}</div>;
}

function listItem(line: string): ListItem | null {
  const m = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line);
  if (!m) return null;
  return { ordered: /\d/.test(m[1]), text: m[2] };
}

/** Lines of one paragraph; a line ending in two spaces or a backslash is a hard break. */
function joinLines(lines: string[], key: number): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  lines.forEach((l, j) => {
    const hard = / {2,}$|\\$/.test(l);
    out.push(...renderInline(l.replace(/ {2,}$|\\$/, "").trim(), key * 100 + j));
    if (j < lines.length - 1) out.push(hard ? <br key={`br${j}`} /> : " ");
  });
  return out;
}
