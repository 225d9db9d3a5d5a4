"use client";

import { AgentStreamProvider } from "@agentstream/react/copilot";
import { CopilotChat } from "@copilotkit/react-core/v2";
import "@copilotkit/react-core/v2/styles.css";

/** CopilotKit's chat against the same route file (`/api/copilotkit`), with AgentStream's renderers. */
export function Chat() {
  return (
    <AgentStreamProvider runtimeUrl="/api/copilotkit">
      <div style={{ height: 520 }} data-testid="chat">
        <CopilotChat agentId="counter" />
      </div>
    </AgentStreamProvider>
  );
}
