import { useFrontendTool, useHumanInTheLoop, useRenderTool } from "@copilotkit/react-core/v2";
import { createElement, Fragment, type ReactElement, type ReactNode, useMemo, useState } from "react";
import { useLatest } from "../hooks/use-latest.js";
import { isDev } from "../internal/dev.js";
import { isAsyncGeneratorFunction } from "./is-async-generator-function.js";
import { type MappedParameterTypes, type Parameter, parametersToZod } from "./parameters.js";
import type { ActionYield, CopilotToolContext, StreamingActionContext } from "./run-tool-handler.js";
import { useToolCallRuns } from "./tool-runs.js";
import {
  type StreamingActionRenderProps,
  toAvailable,
  useStreamingCopilotAction,
} from "./use-streaming-copilot-action.js";

/** The render props of a CopilotKit v1 action (`ActionRenderProps`), with the call's name and id. */
export interface ActionRenderProps<T extends readonly Parameter[] | [] = []> {
  /** `inProgress` (arguments streaming), `executing` (handler running), `complete`. */
  status: "inProgress" | "executing" | "complete";
  /** The arguments; partial while `inProgress`. */
  args: Partial<MappedParameterTypes<T>>;
  /** The result, parsed from JSON when it is JSON; `undefined` until `complete`. */
  // biome-ignore lint/suspicious/noExplicitAny: as CopilotKit's ActionRenderProps (results are untyped JSON).
  result: any;
  /** The tool's name (useful in a catch-all `"*"` render). */
  name: string;
  /** The tool call's id. */
  toolCallId: string;
}

/** The render props of a v1 action that waits for the user (`renderAndWaitForResponse`). */
export interface ActionRenderPropsWait<T extends readonly Parameter[] | [] = []>
  extends ActionRenderProps<T> {
  /** Sends the user's answer to the agent as the tool result; defined while `executing`. */
  respond?: (result: unknown) => void;
  /** @deprecated use `respond` */
  handler?: (result: unknown) => void;
}

/** A v1 action availability; `"frontend"` and `"disabled"` keep the render but hide the tool from the agent. */
export type FrontendActionAvailability = "disabled" | "enabled" | "remote" | "frontend";

/**
 * A CopilotKit v1 action (`useCopilotAction`'s argument). `handler` may also be an
 * `async function*`: see {@link useStreamingCopilotAction}.
 */
export interface CopilotAction<T extends readonly Parameter[] | [] = []> {
  /** The tool's name; `"*"` makes a catch-all render for tools without one. */
  name: string;
  /** What the tool does; the agent reads it. */
  description?: string;
  /** The arguments, as a v1 parameter list (converted to a zod schema). */
  parameters?: T;
  /**
   * Runs the action: a plain (async) function as in CopilotKit, or an `async function*` whose
   * yields stream into the chat and whose return value is the tool result. The second argument
   * (`signal`, `toolCallId`, ...) is extra: v1 handlers may ignore it.
   */
  handler?: (
    args: MappedParameterTypes<T>,
    context: StreamingActionContext,
  ) => AsyncGenerator<ActionYield, unknown, undefined> | Promise<unknown> | unknown;
  /**
   * The UI of a call: a string, or a function of the render props returning an element or a
   * string. With an `async function*` handler it also gets `run` and `store` (the live run), and
   * omitting it shows AgentStream's tool card.
   */
  render?:
    | string
    | ((
        props: ActionRenderProps<T> &
          Partial<Omit<StreamingActionRenderProps<MappedParameterTypes<T>>, "args">>,
      ) => ReactNode);
  /** A human-in-the-loop UI: the call waits until `respond` is called. */
  renderAndWaitForResponse?: (props: ActionRenderPropsWait<T>) => ReactElement;
  /** @deprecated use `renderAndWaitForResponse` */
  renderAndWait?: (props: ActionRenderPropsWait<T>) => ReactElement;
  /** `"disabled"` and `"frontend"` hide the tool from the agent (the render stays). Default `"enabled"`. */
  available?: FrontendActionAvailability;
  /** @deprecated use `available: "disabled"` */
  disabled?: boolean;
  /** Run the agent again with the result. Default true. */
  followUp?: boolean;
  /** Register for this agent only. */
  agentId?: string;
}

type Kind = "streaming" | "frontend" | "hitl" | "render";

/** An action whatever its parameters (arguments are `Record<string, any>`). */
type LooseAction = CopilotAction<Parameter[]>;

function actionKind(action: LooseAction): Kind {
  if (action.renderAndWaitForResponse || action.renderAndWait) return "hitl";
  if (action.name === "*") return "render";
  if (action.available === "frontend" || action.available === "disabled") return "render";
  if (isAsyncGeneratorFunction(action.handler)) return "streaming";
  if (action.handler) return "frontend";
  return "render";
}

function parseResult(result: unknown): unknown {
  if (typeof result !== "string" || result === "") return result;
  try {
    return JSON.parse(result);
  } catch {
    return result;
  }
}

/** A v1 render result (element, string or nothing) as an element. */
function toElement(rendered: ReactNode): ReactElement | null {
  if (rendered === undefined || rendered === null || typeof rendered === "boolean") return null;
  if (typeof rendered === "object" && "type" in (rendered as object)) return rendered as ReactElement;
  return createElement(Fragment, null, rendered);
}

function useToolParameters(parameters: readonly Parameter[] | undefined) {
  const key = parameters ? JSON.stringify(parameters) : "";
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the list's content.
  return useMemo(() => parametersToZod(parameters ?? []), [key]);
}

/** A plain-handler action: CopilotKit v1's own mapping onto v2's `useFrontendTool`. */
function useFrontendAction(action: LooseAction, dependencies: readonly unknown[] | undefined): void {
  const latest = useLatest(action);
  const runsRef = useLatest(useToolCallRuns());
  const parameters = useToolParameters(action.parameters);
  const [handler] = useState(() => async (args: Record<string, unknown>, context: CopilotToolContext) => {
    const toolCallId = context?.toolCall?.id ?? "";
    const handlerContext: StreamingActionContext = {
      signal: context?.signal ?? new AbortController().signal,
      toolCallId,
      // Created only if the handler asks for it.
      get store() {
        return runsRef.current.get(toolCallId);
      },
      toolCall: context?.toolCall,
      agent: context?.agent,
    };
    return (latest.current.handler as ((a: unknown, c: StreamingActionContext) => unknown) | undefined)?.(
      args,
      handlerContext,
    );
  });
  const [render] = useState(
    () =>
      // biome-ignore lint/correctness/noComponentHookFactories: one stable render per hook call, created once (useState), reading the latest props through a ref.
      function CopilotActionRender(props: {
        name: string;
        toolCallId: string;
        args: Record<string, unknown>;
        status: string;
        result?: string;
      }) {
        const current = latest.current.render;
        if (current === undefined) return null;
        if (typeof current === "string") return createElement(Fragment, null, current);
        return toElement(
          current({ ...props, result: parseResult(props.result) } as ActionRenderProps<Parameter[]>),
        );
      },
  );
  const available = action.disabled ? false : toAvailable(action.available);
  useFrontendTool(
    {
      name: action.name,
      description: action.description,
      parameters: parameters as never,
      handler: action.handler ? handler : undefined,
      render: action.render !== undefined ? (render as never) : undefined,
      followUp: action.followUp,
      available,
      agentId: action.agentId,
    },
    [
      action.description,
      JSON.stringify(action.parameters ?? null),
      action.render !== undefined,
      action.followUp,
      ...(dependencies ?? []),
    ],
  );
}

/** A `renderAndWaitForResponse` action: v2's `useHumanInTheLoop` with v1 render props. */
function useHumanInTheLoopAction(action: LooseAction, dependencies: readonly unknown[] | undefined): void {
  const latest = useLatest(action);
  const parameters = useToolParameters(action.parameters);
  const [render] = useState(
    () =>
      // biome-ignore lint/correctness/noComponentHookFactories: one stable render per hook call, created once (useState), reading the latest props through a ref.
      function CopilotActionWaitRender(props: {
        name: string;
        toolCallId: string;
        args: Record<string, unknown>;
        status: "inProgress" | "executing" | "complete";
        result?: string;
        respond?: (result: unknown) => Promise<void>;
      }) {
        const current = latest.current.renderAndWaitForResponse ?? latest.current.renderAndWait;
        if (!current) return null;
        const respond = props.respond ? (result: unknown) => void props.respond?.(result) : undefined;
        return toElement(
          current({
            name: props.name,
            toolCallId: props.toolCallId,
            args: props.args,
            status: props.status,
            result: props.status === "complete" ? parseResult(props.result) : undefined,
            respond,
            handler: respond,
          }),
        );
      },
  );
  useHumanInTheLoop(
    {
      name: action.name,
      description: action.description,
      parameters: parameters as never,
      render: render as never,
      followUp: action.followUp,
      agentId: action.agentId,
    },
    [action.description, JSON.stringify(action.parameters ?? null), action.followUp, ...(dependencies ?? [])],
  );
}

/** A render-only action (no handler, `available: "frontend" | "disabled"`, or the catch-all `"*"`). */
function useRenderAction(action: LooseAction, dependencies: readonly unknown[] | undefined): void {
  const latest = useLatest(action);
  const parameters = useToolParameters(action.parameters);
  const [render] = useState(
    () =>
      // biome-ignore lint/correctness/noComponentHookFactories: one stable render per hook call, created once (useState), reading the latest props through a ref.
      function CopilotActionRenderOnly(props: {
        name: string;
        toolCallId: string;
        parameters?: Record<string, unknown>;
        status: "inProgress" | "executing" | "complete";
        result?: string;
      }) {
        const current = latest.current.render;
        if (current === undefined) return null;
        if (typeof current === "string") return createElement(Fragment, null, current);
        return toElement(
          current({
            name: props.name,
            toolCallId: props.toolCallId,
            args: props.parameters ?? {},
            status: props.status,
            result: props.status === "complete" ? parseResult(props.result) : undefined,
          }),
        );
      },
  );
  const deps = [JSON.stringify(action.parameters ?? null), ...(dependencies ?? [])];
  if (action.name === "*") {
    // biome-ignore lint/correctness/useHookAtTopLevel: the branch is fixed for the call site (name "*").
    useRenderTool({ name: "*", render: render as never, agentId: action.agentId }, deps);
  } else {
    // biome-ignore lint/correctness/useHookAtTopLevel: the branch is fixed for the call site (name "*").
    useRenderTool({ name: action.name, parameters, render: render as never, agentId: action.agentId }, deps);
  }
}

/** A streaming action with the v1 shape (render may be a string; `disabled` is honoured). */
function useStreamingAction(action: LooseAction, dependencies: readonly unknown[] | undefined): void {
  const render = action.render;
  useStreamingCopilotAction(
    {
      name: action.name,
      description: action.description,
      parameters: action.parameters ?? [],
      handler: action.handler as never,
      render:
        render === undefined
          ? undefined
          : typeof render === "string"
            ? () => render
            : (props: StreamingActionRenderProps<Record<string, unknown>>) => render(props as never),
      available: action.disabled ? false : action.available,
      followUp: action.followUp,
      agentId: action.agentId,
    },
    dependencies,
  );
}

const warned = new Set<string>();

/**
 * A drop-in for CopilotKit's v1 `useCopilotAction` (same argument, same behaviour) that also
 * accepts an `async function*` handler, which goes through {@link useStreamingCopilotAction}:
 * its yields stream into the chat and its return value is the tool result.
 *
 * It imports only `@copilotkit/react-core/v2` (not the v1 entry, which pulls the GraphQL client)
 * and maps v1 actions onto v2 hooks the way CopilotKit's own v1 wrapper does:
 * a plain handler → `useFrontendTool` (handler unchanged, `render` string or function, result
 * parsed from JSON); `renderAndWaitForResponse` → `useHumanInTheLoop` (`respond`);
 * `available: "frontend" | "disabled"`, no handler, or `name: "*"` → `useRenderTool` (render only).
 * Parameter lists become zod schemas ({@link parametersToZod}).
 *
 * The kind of action is decided at the first render of the call site and kept: switching a
 * call site between a generator and a plain handler (or to `renderAndWaitForResponse`) is
 * ignored, with a warning in development.
 *
 * @example
 * useCopilotAction({
 *   name: "summarize",
 *   parameters: [{ name: "topic", type: "string" }],
 *   async *handler({ topic }) {
 *     yield { type: "status", status: "thinking" };
 *     for (const word of await summarize(topic)) yield `${word} `;
 *     return "summary shown to the user";
 *   },
 * });
 */
export function useCopilotAction<const T extends readonly Parameter[] | [] = []>(
  action: CopilotAction<T>,
  dependencies?: readonly unknown[],
): void {
  const a = action as unknown as LooseAction;
  const [kind] = useState(() => actionKind(a));
  const current = actionKind(a);
  if (current !== kind && isDev() && process.env.NODE_ENV !== "production" && !warned.has(action.name)) {
    warned.add(action.name);
    console.warn(
      `AgentStream useCopilotAction("${action.name}"): the action changed from ${kind} to ${current} between renders; ` +
        `keeping ${kind}. Use separate call sites for different kinds of actions.`,
    );
  }
  switch (kind) {
    case "streaming":
      // biome-ignore lint/correctness/useHookAtTopLevel: the kind is fixed at the first render.
      useStreamingAction(a, dependencies);
      return;
    case "hitl":
      // biome-ignore lint/correctness/useHookAtTopLevel: the kind is fixed at the first render.
      useHumanInTheLoopAction(a, dependencies);
      return;
    case "render":
      // biome-ignore lint/correctness/useHookAtTopLevel: the kind is fixed at the first render.
      useRenderAction(a, dependencies);
      return;
    default:
      // biome-ignore lint/correctness/useHookAtTopLevel: the kind is fixed at the first render.
      useFrontendAction(a, dependencies);
      return;
  }
}
