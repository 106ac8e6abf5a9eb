/// <reference lib="dom" />
// Theme: follows the OS by default; the button cycles auto → light → dark and remembers the choice.
// The early theme script (pages/theme-script.ts) applies the stored choice before first paint.

import { useEffect, useState } from "preact/hooks";

type Theme = "auto" | "light" | "dark";
const NEXT: Record<Theme, Theme> = { auto: "light", light: "dark", dark: "auto" };
const LABEL: Record<Theme, string> = { auto: "◐ Auto", light: "☀ Light", dark: "☾ Dark" };

export function ThemeToggle(_: Record<string, never>) {
  // "auto" on the server and in the first client render, so hydration matches; then the stored choice.
  const [theme, setTheme] = useState<Theme>("auto");
  useEffect(() => {
    const stored = localStorage.getItem("tracker-theme");
    if (stored === "light" || stored === "dark") setTheme(stored);
  }, []);
  const cycle = () => {
    const next = NEXT[theme];
    setTheme(next);
    if (next === "auto") {
      localStorage.removeItem("tracker-theme");
      delete document.documentElement.dataset.theme;
    } else {
      localStorage.setItem("tracker-theme", next);
      document.documentElement.dataset.theme = next;
    }
    dispatchEvent(new Event("tracker-theme"));
  };
  return (
    <button
      type="button"
      class="theme-toggle"
      onClick={cycle}
      title="Colour theme"
      aria-label={`Theme: ${theme}`}
    >
      {LABEL[theme]}
    </button>
  );
}
