import { AgentStreamProvider } from "@agentstream/react/copilot";
import {
  CopilotChat,
  CopilotChatConfigurationProvider,
  useConfigureSuggestions,
} from "@copilotkit/react-core/v2";
import { useEffect } from "react";
import { ActionRunsProvider } from "./actions/action-runs.js";
import { useDocumentActions } from "./actions/use-document-actions.js";
import { AgentPanel } from "./agent/agent-panel.js";
import { ThreadTracker, useChatThread } from "./agent/chat-thread.js";
import { PROMPTS } from "./agent/suggestions.js";
import { type AgentInfo, useAgents } from "./agent/use-agents.js";
import { DocumentProvider } from "./document/document-context.js";
import { DocumentEditor } from "./document/document-editor.js";
import { MobileNav } from "./shell/mobile-nav.js";
import { ThemeSwitch, useTheme } from "./shell/theme.js";

/** Registers the app's copilot actions and the chat's suggested prompts. Renders nothing. */
function CopilotSetup({ agentId }: { agentId: string }) {
  useDocumentActions();
  useConfigureSuggestions({ suggestions: PROMPTS[agentId] ?? PROMPTS.default ?? [], available: "always" }, [
    agentId,
  ]);
  return null;
}

function AgentPicker({
  agents,
  value,
  onChange,
}: {
  agents: AgentInfo[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <div className="agent-picker">
      <label htmlFor="agent-picker">Agent</label>
      <select
        id="agent-picker"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby="agent-picker-hint"
        data-testid="agent-picker"
      >
        {agents.map((a) => (
          <option key={a.id} value={a.id} title={a.description}>
            {a.id}
          </option>
        ))}
      </select>
      <span id="agent-picker-hint" className="visually-hidden">
        The chat and the agent panel follow the agent picked here.
      </span>
    </div>
  );
}

export function App() {
  const [theme, setTheme] = useTheme();
  const { agents, loaded } = useAgents();
  // The chat's agent and thread live in the URL (?agent=…&thread=…): a reload reattaches.
  const { thread, selectAgent, started } = useChatThread();
  const { agentId } = thread;
  const agent = agents.find((a) => a.id === agentId);
  // An agent named by the URL that the server does not offer: back to the default one.
  useEffect(() => {
    if (loaded && !agents.some((a) => a.id === agentId)) selectAgent("default");
  }, [loaded, agents, agentId, selectAgent]);

  return (
    // CopilotKit's provider with AgentStream's activity renderers and one set of tool-call runs for
    // the page: the chat's cards, the agent panel and the app actions read the same handler runs.
    <AgentStreamProvider runtimeUrl="/api/copilotkit">
      <DocumentProvider>
        <ActionRunsProvider>
          <CopilotSetup agentId={agentId} />
          <ThreadTracker thread={thread} onStarted={started} />
          <a className="skip-link" href="#chat">
            Skip to the copilot chat
          </a>
          <div className="app">
            <header className="app__header">
              <div className="brand">
                <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
                  <rect width="32" height="32" rx="7" fill="var(--brand)" />
                  <path
                    d="M7 20h4l3-9 4 14 3-9h4"
                    fill="none"
                    stroke="#fff"
                    strokeWidth="2.6"
                    strokeLinecap="round"
                    strokeLinejoin="round"
                  />
                </svg>
                <span className="brand__name">AgentStream</span>
                <span className="brand__product">Docs workspace</span>
              </div>
              <nav className="app__controls" aria-label="Workspace settings">
                <AgentPicker agents={agents} value={agentId} onChange={selectAgent} />
                <ThemeSwitch theme={theme} onChange={setTheme} />
              </nav>
            </header>
            <MobileNav />
            <main className="app__main" id="main">
              <DocumentEditor />
              <AgentPanel agentId={agentId} description={agent?.description} />
            </main>
            <aside className="app__chat" id="chat" aria-label="Copilot chat" tabIndex={-1}>
              {/* The thread comes from here: explicit (a reload, or back to an agent's thread) reattaches
                  through CopilotKit's /connect; a fresh one shows the welcome screen. */}
              <CopilotChatConfigurationProvider
                agentId={agentId}
                threadId={thread.threadId}
                hasExplicitThreadId={thread.explicit}
              >
                <CopilotChat
                  agentId={agentId}
                  className="chat"
                  labels={{
                    modalHeaderTitle: "Copilot",
                    chatInputPlaceholder: "Ask the copilot, e.g. “Analyze the document”",
                    welcomeMessageText: "Ask me to analyze or extend your document, or ask a question.",
                  }}
                />
              </CopilotChatConfigurationProvider>
            </aside>
          </div>
        </ActionRunsProvider>
      </DocumentProvider>
    </AgentStreamProvider>
  );
}
