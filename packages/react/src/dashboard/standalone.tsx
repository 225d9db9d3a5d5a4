/**
 * The standalone dashboard page served at `GET /dashboard` (built into
 * `@agentstream/react/dashboard-page` by scripts/build-dashboard-page.mjs, with React, uPlot and
 * the styles inline): `RunsDashboard` on the same origin, with a theme switch kept in
 * localStorage. The browser's own credentials (Basic, when the server asks) reach the runs API.
 */
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { RunsDashboard } from "./runs-dashboard.js";

type Theme = "auto" | "light" | "dark";
const KEY = "agentstream.dashboard.theme";

function readTheme(): Theme {
  try {
    const v = localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : "auto";
  } catch {
    return "auto";
  }
}

function Page() {
  const [theme, setTheme] = useState<Theme>(readTheme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === "auto") delete root.dataset.theme;
    else root.dataset.theme = theme;
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, [theme]);
  return (
    <main>
      <RunsDashboard
        title="AgentStream runs"
        theme={theme}
        actions={
          <label className="as-dash__window">
            Theme{" "}
            <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
              <option value="auto">auto</option>
              <option value="light">light</option>
              <option value="dark">dark</option>
            </select>
          </label>
        }
      />
    </main>
  );
}

const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <Page />
    </StrictMode>,
  );
