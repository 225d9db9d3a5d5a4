import { CopilotKitProvider, type CopilotKitProviderProps } from "@copilotkit/react-core/v2";
import { useMemo, useState } from "react";
import { agentStreamActivityRenderers } from "./activity-renderers.js";
import { createToolCallRuns, ToolCallRunsProvider } from "./tool-runs.js";

/** Props of {@link AgentStreamProvider}: those of CopilotKit's `CopilotKitProvider`. */
export type AgentStreamProviderProps = CopilotKitProviderProps;

/**
 * CopilotKit's `CopilotKitProvider` with AgentStream's renderers installed, so the progress and
 * status an AgentStream server streams show up in `<CopilotChat>` with no further code.
 *
 * Differences from `CopilotKitProvider`:
 * - `renderActivityMessages`: yours come first (they win for the same activity type), then
 *   {@link agentStreamActivityRenderers}. Keep your array stable.
 * - `enableInspector` defaults to `false` (CopilotKit's web inspector calls hosts outside your
 *   app); pass `true` to have it.
 * - It owns the tool-call runs of its streaming actions ({@link ToolCallRuns}): two providers on
 *   a page never share them.
 *
 * Everything else is passed through unchanged.
 *
 * @example
 * <AgentStreamProvider runtimeUrl="/api/copilotkit">
 *   <CopilotChat />
 * </AgentStreamProvider>
 */
export function AgentStreamProvider({
  renderActivityMessages,
  enableInspector = false,
  ...props
}: AgentStreamProviderProps) {
  const renderers = useMemo(
    () =>
      renderActivityMessages?.length
        ? [...renderActivityMessages, ...agentStreamActivityRenderers]
        : agentStreamActivityRenderers,
    [renderActivityMessages],
  );
  const [toolCallRuns] = useState(createToolCallRuns);
  return (
    <ToolCallRunsProvider value={toolCallRuns}>
      <CopilotKitProvider {...props} enableInspector={enableInspector} renderActivityMessages={renderers} />
    </ToolCallRunsProvider>
  );
}
