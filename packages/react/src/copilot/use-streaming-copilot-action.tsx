import type { RunState, RunStore } from "@agentstream/core";
import { useAgent, useCopilotKit, useFrontendTool } from "@copilotkit/react-core/v2";
import { type ReactNode, useMemo, useRef, useState } from "react";
import { type AnswerHandler, AskAnswerContext } from "../components/ask-card.js";
import { useIsomorphicLayoutEffect } from "../hooks/use-isomorphic-layout-effect.js";
import { useLatest } from "../hooks/use-latest.js";
import { useRun } from "../hooks/use-run.js";
import { type ToolExecutionSource, toolExecutions } from "./call-outcome.js";
import {
  type MappedParameterTypes,
  type Parameter,
  type StandardSchemaLike,
  toToolSchema,
} from "./parameters.js";
import { type CopilotToolContext, runToolHandler, type StreamingActionHandler } from "./run-tool-handler.js";
import { type CopilotToolStatus, ToolRunCard } from "./tool-run-card.js";
import { type ToolCallRuns, useToolCallRuns } from "./tool-runs.js";
import { type ChatAgentLike, useCallsMayRun } from "./use-chat-run-status.js";

/** The arguments type a `parameters` value describes (a v1 list or a Standard Schema). */
export type ActionArgs<P> =
  P extends StandardSchemaLike<infer O>
    ? O extends Record<string, unknown>
      ? O
      : LooseArgs
    : P extends readonly Parameter[]
      ? MappedParameterTypes<P>
      : LooseArgs;

// biome-ignore lint/suspicious/noExplicitAny: untyped arguments, as CopilotKit's `Record<string, any>`.
type LooseArgs = Record<string, any>;

/** What a custom `render` of a streaming action receives. */
export interface StreamingActionRenderProps<Args> {
  /** The tool's name. */
  name: string;
  /** The tool call's id (the key of its run store). */
  toolCallId: string;
  /** CopilotKit's status: `inProgress` (arguments streaming), `executing` (handler running), `complete`. */
  status: CopilotToolStatus;
  /** The arguments; partial while `inProgress`. */
  args: Partial<Args>;
  /**
   * The tool result once `complete`: the handler's return value when this page ran it, else
   * CopilotKit's result string parsed as JSON when it is JSON.
   */
  result: unknown;
  /** The live run of the handler: every yield folded (`text`, `progress`, `status`, `error`, `interruption` ...). */
  run: RunState;
  /** The run's store, e.g. for `<StreamView store={store} />`. */
  store: RunStore;
  /** Stops this call's handler (a Stop button): the agent receives the "interrupted" result. */
  stop: () => void;
}

/** `available` as CopilotKit v2 (`boolean`) or v1 (`"enabled" | "disabled" | "remote" | "frontend"`) spells it. */
export type ActionAvailability = boolean | "enabled" | "disabled" | "remote" | "frontend";

/** The configuration of {@link useStreamingCopilotAction}. */
export interface StreamingCopilotAction<P extends readonly Parameter[] | StandardSchemaLike = []> {
  /** The tool's name, as the agent calls it. */
  name: string;
  /** What the tool does; the agent reads it. */
  description?: string;
  /** The arguments: a CopilotKit v1 parameter list or a Standard Schema (zod ...). */
  parameters?: P;
  /**
   * Runs the tool. An `async function*` streams: each `yield` (a chunk, or a string token) shows
   * up in the render while it runs and the `return` value is the result the agent receives. A
   * plain (async) function works as in CopilotKit.
   */
  handler?: StreamingActionHandler<ActionArgs<P>>;
  /**
   * The UI of a call in the chat. Default: a tool card with live progress and output
   * ({@link ToolRunCard}). `false`: no UI (CopilotKit's default tool rendering, if any).
   */
  render?: ((props: StreamingActionRenderProps<ActionArgs<P>>) => ReactNode) | false;
  /** Offer the tool to the agent. `false`, `"disabled"` and `"frontend"` hide it; the render stays. Default true. */
  available?: ActionAvailability;
  /** Run the agent again with the result (CopilotKit's default, true). */
  followUp?: boolean;
  /** Register the tool for this agent only. */
  agentId?: string;
}

/** CopilotKit's props for a tool-call render. */
interface CopilotRenderProps {
  name: string;
  toolCallId: string;
  args: Record<string, unknown>;
  status: CopilotToolStatus | `${CopilotToolStatus}`;
  result: string | undefined;
}

type AnyRender = (props: StreamingActionRenderProps<LooseArgs>) => ReactNode;

function parseResult(result: string | undefined): unknown {
  if (result === undefined) return undefined;
  try {
    return JSON.parse(result);
  } catch {
    return result;
  }
}

/** The value CopilotKit v2 takes for `available`. */
export function toAvailable(available: ActionAvailability | undefined): boolean | undefined {
  if (available === undefined || typeof available === "boolean") return available;
  return available === "enabled" || available === "remote";
}

const schemaIds = new WeakMap<object, number>();
let nextSchemaId = 0;

/** A dependency key for `parameters`: JSON of a v1 list, identity of a schema. */
function parametersKey(parameters: unknown): string {
  if (parameters === undefined) return "";
  if (Array.isArray(parameters)) return JSON.stringify(parameters);
  if (typeof parameters !== "object" && typeof parameters !== "function") return String(parameters);
  let id = schemaIds.get(parameters as object);
  if (id === undefined) {
    id = ++nextSchemaId;
    schemaIds.set(parameters as object, id);
  }
  return `schema#${id}`;
}

/** The card follows its agent's running state itself (`useCallsMayRun`), nothing else of it. */
const NO_UPDATES: [] = [];

/** The render CopilotKit mounts per call: reads the call's run store, so progress stays live. */
function ToolRunView({
  renderRef,
  runsRef,
  ...props
}: CopilotRenderProps & {
  renderRef: { current: AnyRender | undefined };
  runsRef: { current: ToolCallRuns };
}) {
  const runs = runsRef.current;
  const store = runs.get(props.toolCallId);
  const run = useRun(store);
  // The chat's agent (the render sits in its chat), and whether a call without a result may
  // still be run (its stream is open, or CopilotKit runs the run's calls one by one).
  const { agent } = useAgent({ updates: NO_UPDATES });
  const mayRun = useCallsMayRun(agent as unknown as ChatAgentLike);
  const status = props.status as CopilotToolStatus;
  const result =
    status === "complete" ? (run.result ? run.result.output : parseResult(props.result)) : undefined;
  const custom = renderRef.current;
  return (
    <AskAnswerContext.Provider value={askAnswerer(runs, props.toolCallId)}>
      {renderCall(props, runs, run, store, status, result, custom, mayRun)}
    </AskAnswerContext.Provider>
  );
}

const answerers = new WeakMap<ToolCallRuns, Map<string, AnswerHandler>>();

/** A stable answer handler per tool call: the AskCards in its card answer the waiting handler. */
function askAnswerer(runs: ToolCallRuns, toolCallId: string): AnswerHandler {
  let byCall = answerers.get(runs);
  if (!byCall) {
    byCall = new Map();
    answerers.set(runs, byCall);
  }
  let handler = byCall.get(toolCallId);
  if (!handler) {
    handler = (askId, value) => {
      if (!runs.answer(toolCallId, askId, value))
        throw new Error("This question is no longer waiting for an answer.");
    };
    byCall.set(toolCallId, handler);
  }
  return handler;
}

function renderCall(
  props: CopilotRenderProps,
  runs: ToolCallRuns,
  run: RunState,
  store: RunStore,
  status: CopilotToolStatus,
  result: unknown,
  custom: AnyRender | undefined,
  mayRun: boolean,
): ReactNode {
  if (custom) {
    const stop = () => runs.stop(props.toolCallId);
    return (
      <>
        {custom({
          name: props.name,
          toolCallId: props.toolCallId,
          status,
          args: props.args ?? {},
          result,
          run,
          store,
          stop,
        })}
      </>
    );
  }
  return (
    <ToolRunCard
      name={props.name}
      toolCallId={props.toolCallId}
      status={status}
      args={props.args ?? {}}
      result={parseResult(props.result)}
      run={run}
      store={store}
      running={!run.done && runs.isRunning(props.toolCallId)}
      onStop={() => runs.stop(props.toolCallId)}
      pending={mayRun}
    />
  );
}

/**
 * A CopilotKit frontend action whose handler may be an `async function*`: every `yield` shows up
 * in the chat while the action runs, and the generator's `return` value is the tool result the
 * agent receives. The same shape as CopilotKit's `useCopilotAction`, built on v2's public
 * `useFrontendTool` (and its `render`).
 *
 * - Each tool call gets its own run store (keyed by `toolCallId`); yields go through core's
 *   `toChunk` (a string is a token; objects are chunks: `progress`, `status`, `thinking` ...).
 * - The default render is a tool card with live progress (bar and steps) and output; a custom
 *   `render` receives `{ status, args, run, result, toolCallId, store }`.
 * - Stopping the chat aborts `signal` and closes the generator (`return()`: its `finally` runs);
 *   the card shows "interrupted".
 * - A throw shows an error in the card and the agent receives `"Error: <message>"`.
 * - Plain async handlers keep working. Handler and render may change between renders; the
 *   latest ones are used. `deps` re-register the tool, like CopilotKit's.
 *
 * @example
 * useStreamingCopilotAction({
 *   name: "analyzeFiles",
 *   description: "Analyze the user's files",
 *   parameters: [{ name: "count", type: "number", description: "How many files" }],
 *   async *handler({ count }, { signal }) {
 *     for (let i = 1; i <= count; i++) {
 *       yield { type: "progress", step: `File ${i}`, current: i, total: count };
 *       await sleep(300, signal);
 *     }
 *     return { analyzed: count };
 *   },
 * });
 */
export function useStreamingCopilotAction<const P extends readonly Parameter[] | StandardSchemaLike = []>(
  action: StreamingCopilotAction<P>,
  deps?: readonly unknown[],
): void {
  const latest = useLatest(action);
  const runsRef = useLatest(useToolCallRuns());
  // Follow CopilotKit's tool executions from now on, before any call: a card that mounts while
  // another call of its turn runs must know it (see `useCallsMayRun`).
  toolExecutions(useCopilotKit().copilotkit as unknown as ToolExecutionSource);
  const renderRef = useRef<AnyRender | undefined>(undefined);
  useIsomorphicLayoutEffect(() => {
    renderRef.current = typeof action.render === "function" ? (action.render as AnyRender) : undefined;
  });
  if (renderRef.current === undefined && typeof action.render === "function") {
    // First render: the render may be needed before the layout effect runs.
    renderRef.current = action.render as AnyRender;
  }

  const [handler] = useState(() => async (args: Record<string, unknown>, context: CopilotToolContext) => {
    const current = latest.current.handler;
    if (!current) return undefined;
    const toolCallId = context.toolCall?.id ?? `local-${Math.random().toString(36).slice(2)}`;
    const runs = runsRef.current;
    const { signal, release } = runs.link(toolCallId, context.signal);
    try {
      return await runToolHandler(
        current as StreamingActionHandler<Record<string, unknown>>,
        args,
        {
          signal,
          toolCallId,
          store: runs.get(toolCallId),
          toolCall: context.toolCall,
          agent: context.agent,
        },
        { wait: (askId, askSignal) => runs.waitAnswer(toolCallId, askId, askSignal) },
      );
    } finally {
      release();
    }
  });
  const [render] = useState(() => {
    // biome-ignore lint/correctness/noComponentHookFactories: one stable render per hook call, created once (useState), reading the latest props through a ref.
    function StreamingActionRender(props: CopilotRenderProps) {
      return <ToolRunView {...props} renderRef={renderRef} runsRef={runsRef} />;
    }
    return StreamingActionRender;
  });

  const paramsKey = parametersKey(action.parameters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the parameters' content.
  const parameters = useMemo(() => toToolSchema(action.parameters), [paramsKey]);
  const hasHandler = action.handler !== undefined;
  const hasRender = action.render !== false;

  useFrontendTool(
    {
      name: action.name,
      description: action.description,
      parameters: parameters as never,
      handler: hasHandler ? handler : undefined,
      render: hasRender ? (render as never) : undefined,
      followUp: action.followUp,
      available: toAvailable(action.available),
      agentId: action.agentId,
    },
    [action.description, paramsKey, hasHandler, hasRender, action.followUp, action.agentId, ...(deps ?? [])],
  );
}
