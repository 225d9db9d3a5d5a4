import { useCallback, useEffect, useState } from "react";

export type Theme = "light" | "dark";
const KEY = "agentstream-demo-theme";

function initialTheme(): Theme {
  const set = document.documentElement.dataset.theme;
  if (set === "light" || set === "dark") return set;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/**
 * The page theme: `data-theme` on <html> drives AgentStream's tokens and the demo's, the `dark`
 * class drives CopilotKit's chat. Saved in localStorage; the OS preference until the user picks.
 */
export function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setThemeState] = useState<Theme>(initialTheme);
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.classList.toggle("dark", theme === "dark");
    root.style.colorScheme = theme;
  }, [theme]);
  const setTheme = useCallback((next: Theme) => {
    setThemeState(next);
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  return [theme, setTheme];
}

/** A switch between the light and dark themes. */
export function ThemeSwitch({ theme, onChange }: { theme: Theme; onChange: (theme: Theme) => void }) {
  const dark = theme === "dark";
  return (
    <button
      type="button"
      role="switch"
      aria-checked={dark}
      className="theme-switch"
      onClick={() => onChange(dark ? "light" : "dark")}
      data-testid="theme-switch"
    >
      <span className="theme-switch__track" aria-hidden="true">
        <span className="theme-switch__thumb">{dark ? "☾" : "☀"}</span>
      </span>
      <span className="theme-switch__label">Dark theme</span>
    </button>
  );
}
