import "@copilotkit/react-core/v2/styles.css";
import "@agentstream/react/styles.css";
import "./app.css";
import "./mobile.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
