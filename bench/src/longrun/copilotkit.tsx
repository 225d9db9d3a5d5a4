/**
 * CopilotKit v2's assistant message for the long-run page, in a chunk of its own. It renders
 * standalone, outside a `CopilotKitProvider` (which refuses to start without a runtime URL or a
 * key), once its tool-calls slot, the one part that reads the provider, is replaced: the runs
 * measured here carry no tool calls.
 *
 * @packageDocumentation
 */
import { CopilotChatAssistantMessage, CopilotChatConfigurationProvider } from "@copilotkit/react-core/v2";
import { type ComponentType, type ReactNode, useEffect, useState } from "react";

const NoToolCalls = () => null;
const Config = CopilotChatConfigurationProvider as ComponentType<{ children: ReactNode }>;

/** CopilotKit's assistant message, its content set once per macrotask. */
export function CopilotKitMessage({ feed }: { feed: (set: (text: string) => void) => void }) {
  const [content, setContent] = useState("");
  useEffect(() => feed(setContent), [feed]);
  return (
    <Config>
      <CopilotChatAssistantMessage
        message={{ id: "m1", role: "assistant", content }}
        isRunning={true}
        toolbarVisible={false}
        toolCallsView={NoToolCalls}
      />
    </Config>
  );
}
