import {
  ASK_ACTIVITY,
  ASK_STATES,
  PROGRESS_ACTIVITY,
  type RunStatus,
  STATUS_ACTIVITY,
  STATUS_ACTIVITY_VALUES,
} from "@agentstream/core";
import { endedStepState, endOfStatus } from "@agentstream/core/internal";
import { type ReactActivityMessageRenderer, useCopilotKit } from "@copilotkit/react-core/v2";
import { useCallback } from "react";
import { z } from "zod";
import { AgentStatus } from "../components/agent-status.js";
import { AskCard } from "../components/ask-card.js";
import { ProgressPanel } from "./progress-panel.js";
import { type ChatAgentLike, useChatRunStatus } from "./use-chat-run-status.js";

const stepSchema = z.object({
  label: z.string(),
  state: z.enum(["pending", "active", "done", "failed", "stopped"]),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  duration: z.number().optional(),
});

/** Schema of the `agentstream.progress` activity content (core's `ProgressActivityContent`). */
export const progressActivitySchema = z.looseObject({
  step: z.string(),
  current: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
  agent: z.string().optional(),
  steps: z.array(stepSchema).optional(),
});

/**
 * Schema of the `agentstream.status` activity content (core's `StatusActivityContent`): a status
 * the agent reported, or how the run ended (`completed`, `interrupted`, `error`, with `final`).
 */
export const statusActivitySchema = z.looseObject({
  status: z.enum(STATUS_ACTIVITY_VALUES),
  iteration: z.number().optional(),
  agent: z.string().optional(),
  final: z.literal(true).optional(),
});

/** Schema of the `agentstream.ask` activity content (core's `AskActivityContent`). */
export const askActivitySchema = z.looseObject({
  id: z.string(),
  prompt: z.string(),
  choices: z.array(z.object({ label: z.string(), value: z.unknown() })).optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
  state: z.enum(ASK_STATES),
  value: z.unknown().optional(),
  agent: z.string().optional(),
});

/** Validated content of an ask activity. */
export type AskActivity = z.infer<typeof askActivitySchema>;

/** Validated content of a progress activity. */
export type ProgressActivity = z.infer<typeof progressActivitySchema>;
/** Validated content of a status activity. */
export type StatusActivity = z.infer<typeof statusActivitySchema>;

/** What CopilotKit passes an activity renderer besides the content (the part the views read). */
interface ActivityContext {
  /** The activity message (its id names the run: `<runId>:progress`, `<runId>:status`). */
  message?: { id: string } | undefined;
  /** The agent whose thread holds it. */
  agent?: unknown;
}

/** Steps of an ended run: the one under way takes the end (stopped, not failed, when interrupted). */
function endedSteps(
  steps: ProgressActivity["steps"],
  status: RunStatus | undefined,
): ProgressActivity["steps"] {
  const end = status === undefined ? undefined : endOfStatus(status);
  if (steps === undefined || end === undefined) return steps;
  return steps.map((step) => {
    const state = endedStepState(step.state, end);
    return state === step.state ? step : { ...step, state };
  });
}

/**
 * Renders a server-streamed progress report in the chat: bar, steps, message. Once its run ended
 * (its status row's final snapshot, see `useChatRunStatus`) the bar and steps show the end.
 */
export function ProgressActivityView({
  content,
  message,
  agent,
}: { content: ProgressActivity } & ActivityContext) {
  const status = useChatRunStatus(message?.id ?? "", agent as ChatAgentLike | undefined, content.agent);
  return (
    <div
      className="as-activity"
      data-activity={PROGRESS_ACTIVITY}
      data-agent={content.agent}
      data-run-state={status}
    >
      <ProgressPanel
        label={content.agent ? `${content.agent}: ${content.step}` : content.step}
        current={content.current}
        total={content.total}
        message={content.message}
        steps={endedSteps(content.steps, status)}
        status={status}
      />
    </div>
  );
}

/**
 * Renders a server-streamed agent status in the chat as an {@link AgentStatus} badge; once the
 * run ended, the badge says how (`Completed`, `Interrupted`, `Error`) and `data-final` is set.
 * A completed run whose frontend tool call the page then stopped (or a reload cut off) reads
 * `Interrupted`, like the tool's card; `Acting` while the page still runs it (`useChatRunStatus`).
 */
export function StatusActivityView({
  content,
  message,
  agent,
}: { content: StatusActivity } & ActivityContext) {
  const turned = useChatRunStatus(message?.id ?? "", agent as ChatAgentLike | undefined, content.agent);
  return (
    <div
      className="as-activity"
      data-activity={STATUS_ACTIVITY}
      data-agent={content.agent}
      data-final={content.final ? "" : undefined}
    >
      <AgentStatus status={turned ?? content.status} iteration={content.iteration} agent={content.agent} />
    </div>
  );
}

/** The server's JSON error message, or the status line. */
async function failure(res: Response): Promise<Error> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) return new Error(body.error.message);
  } catch {
    // not JSON
  }
  return new Error(`The answer was not accepted (HTTP ${res.status})`);
}

/**
 * Renders a question the server's agent asked (`await ctx.ask(...)`) as an {@link AskCard} in
 * the chat. The answer is posted to `<runtimeUrl>/agent/<agentId>/answer/<threadId>` with the
 * provider's headers and credentials; the AgentStream server hands it to the waiting generator
 * and the run streams on (the card turns "answered" when the server says so).
 */
export function AskActivityView({
  content,
  agent,
}: {
  content: AskActivity;
  agent?: { agentId?: string; threadId?: string } | undefined;
}) {
  const { copilotkit } = useCopilotKit();
  const agentId = agent?.agentId;
  const threadId = agent?.threadId;
  const onAnswer = useCallback(
    async (askId: string, value: unknown) => {
      const base = copilotkit.runtimeUrl;
      if (!base || !agentId || !threadId) throw new Error("No runtime to send the answer to.");
      const res = await fetch(
        `${base.replace(/\/$/, "")}/agent/${encodeURIComponent(agentId)}/answer/${encodeURIComponent(threadId)}`,
        {
          method: "POST",
          headers: { ...copilotkit.headers, "content-type": "application/json" },
          credentials: copilotkit.credentials,
          body: JSON.stringify({ askId, value }),
        },
      );
      if (!res.ok) throw await failure(res);
    },
    [copilotkit, agentId, threadId],
  );
  return (
    <div className="as-activity" data-activity={ASK_ACTIVITY} data-agent={content.agent}>
      <AskCard ask={content} onAnswer={onAnswer} />
    </div>
  );
}

/**
 * CopilotKit activity renderers for what an AgentStream server streams besides text: progress
 * (`agentstream.progress`, a progress bar with its steps), agent status (`agentstream.status`,
 * an {@link AgentStatus} badge) and questions (`agentstream.ask`, an {@link AskCard} that posts
 * the answer). Each run's progress and status are one chat row each, updated in
 * place as new snapshots arrive. Content that does not match the schema renders nothing.
 *
 * A module-level constant, stable as CopilotKit requires. Pass it to the provider (or use
 * {@link AgentStreamProvider}, which does):
 *
 * @example
 * <CopilotKitProvider runtimeUrl="/api/copilotkit" renderActivityMessages={agentStreamActivityRenderers}>
 *   <CopilotChat />
 * </CopilotKitProvider>
 *
 * // with renderers of your own: concatenate once, at module level
 * const renderers = [...agentStreamActivityRenderers, myRenderer];
 */
// biome-ignore lint/suspicious/noExplicitAny: the type of CopilotKit's `renderActivityMessages` prop.
export const agentStreamActivityRenderers: ReactActivityMessageRenderer<any>[] = [
  { activityType: PROGRESS_ACTIVITY, content: progressActivitySchema, render: ProgressActivityView },
  { activityType: STATUS_ACTIVITY, content: statusActivitySchema, render: StatusActivityView },
  { activityType: ASK_ACTIVITY, content: askActivitySchema, render: AskActivityView },
] satisfies [
  ReactActivityMessageRenderer<ProgressActivity>,
  ReactActivityMessageRenderer<StatusActivity>,
  ReactActivityMessageRenderer<AskActivity>,
];
