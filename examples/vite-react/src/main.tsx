import "@agentstream/react/styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RunPanel } from "./run-panel";

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <main>
      <h1>AgentStream on Vite + React</h1>
      <p>
        The page and the API come from one <code>node:http</code> server (<code>server.mjs</code>,{" "}
        <code>toNodeListener</code>).
      </p>
      <RunPanel agentId="counter" />
    </main>
  </StrictMode>,
);
