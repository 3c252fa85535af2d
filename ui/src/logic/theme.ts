// Light, dark, or whatever the OS says; the choice is kept in localStorage (no case data goes there).
export type Theme = "system" | "light" | "dark";
const KEY = "ringscope.theme";
const ORDER: Theme[] = ["system", "light", "dark"];

export function savedTheme(storage: Storage = localStorage): Theme {
  const t = storage.getItem(KEY);
  return ORDER.includes(t as Theme) ? (t as Theme) : "system";
}

export function nextTheme(t: Theme): Theme {
  return ORDER[(ORDER.indexOf(t) + 1) % ORDER.length];
}

/** Sets `data-theme` on the root element ("system" removes it, so the stylesheet follows the OS). */
export function applyTheme(t: Theme, root: HTMLElement = document.documentElement, storage: Storage = localStorage) {
  if (t === "system") delete root.dataset.theme;
  else root.dataset.theme = t;
  storage.setItem(KEY, t);
}
