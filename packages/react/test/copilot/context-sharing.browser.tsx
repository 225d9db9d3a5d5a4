// biome-ignore-all lint/correctness/noComponentHookFactories: test components close over per-test state.
/**
 * Which React contexts `@copilotkit/react-core/v2` and `@copilotkit/react-core/v2/headless`
 * share, with the real CopilotKit in Chromium, and the contract of useAgentRun that depends on it.
 *
 * Why this matters: `@agentstream/react/copilot` could import its hooks from `v2/headless`
 * (~78 KB instead of ~3.3 MB gzipped with CopilotKit bundled) only if every context those hooks
 * read is the one the app's `CopilotKitProvider` / `CopilotChat` (full `v2`) provides.
 * In @copilotkit/react-core 1.74.0:
 * - `CopilotKitContext` (and the license and provider agent-id contexts) is created once, in
 *   `dist/v2/context.mjs`, which both entries import: shared.
 * - `CopilotChatConfiguration` is created twice (`dist/v2/headless.mjs` and the chunk behind
 *   `dist/v2/index.mjs`): NOT shared. `useAgent()` reads it to default its agent to the chat's,
 *   so the headless `useAgent` inside a full-v2 `<CopilotChat agentId="x">` ignores `x`.
 *
 * If the "not shared" expectation below starts failing after a CopilotKit upgrade, the headless
 * entry has become safe for useAgentRun; the useAgentRun test is the contract either way.
 */
import * as full from "@copilotkit/react-core/v2";
import * as headless from "@copilotkit/react-core/v2/headless";
import { render, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AgentStreamProvider } from "../../src/copilot/agent-stream-provider.js";
import { useAgentRun } from "../../src/copilot/use-agent-run.js";
import { serverUrl } from "./fixtures/chat.js";

interface Seen {
  fullCore?: unknown;
  headlessCore?: unknown;
  fullChatAgentId?: string;
  headlessChatConfig?: unknown;
  fullAgentId?: string;
  headlessAgentId?: string;
  agentRunAgentId?: string;
  ready?: boolean;
}

function renderProbe(chatAgentId: string) {
  const seen: Seen = {};
  function Probe() {
    seen.fullCore = full.useCopilotKit().copilotkit;
    seen.headlessCore = headless.useCopilotKit().copilotkit;
    seen.fullChatAgentId = full.useCopilotChatConfiguration()?.agentId;
    seen.headlessChatConfig = headless.useCopilotChatConfiguration();
    const fullAgent = full.useAgent({ updates: [] });
    seen.fullAgentId = fullAgent.agent.agentId;
    seen.ready = fullAgent.isReady;
    seen.headlessAgentId = headless.useAgent({ updates: [] }).agent.agentId;
    seen.agentRunAgentId = useAgentRun().agent.agentId;
    return null;
  }
  // No agentId on the provider: the chat's configuration (what `<CopilotChat agentId>` installs,
  // through this very provider) is the only place the agent is named.
  render(
    <AgentStreamProvider runtimeUrl={`${serverUrl()}/api/copilotkit`}>
      <full.CopilotChatConfigurationProvider agentId={chatAgentId}>
        <Probe />
      </full.CopilotChatConfigurationProvider>
    </AgentStreamProvider>,
  );
  return seen;
}

describe("CopilotKit v2 and v2/headless contexts", () => {
  it("useAgentRun() without an agent id follows the chat's agent under the full-v2 chat", async () => {
    const seen = renderProbe("reporter");
    await waitFor(() => expect(seen.ready).toBe(true), { timeout: 15_000 });
    expect(seen.agentRunAgentId).toBe("reporter");
    expect(seen.fullAgentId).toBe("reporter");
  });

  it("shares the CopilotKit core context, but not the chat configuration context (1.74.0)", async () => {
    const seen = renderProbe("reporter");
    await waitFor(() => expect(seen.ready).toBe(true), { timeout: 15_000 });
    // Same function, same context, same core instance.
    expect(headless.useCopilotKit).toBe(full.useCopilotKit);
    expect(seen.headlessCore).toBe(seen.fullCore);
    // Two CopilotChatConfiguration contexts: the headless hooks do not see the full-v2 chat's.
    expect(headless.CopilotChatConfigurationProvider).not.toBe(full.CopilotChatConfigurationProvider);
    expect(seen.fullChatAgentId).toBe("reporter");
    expect(seen.headlessChatConfig).toBeNull();
    expect(seen.headlessAgentId).toBe("default");
  });
});
