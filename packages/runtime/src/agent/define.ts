/**
 * Defining an agent: one `async function*` per agent.
 *
 * @packageDocumentation
 */

import type { RunAgentInput } from "@ag-ui/core";
import type { ChunkInput } from "@agentstream/core";
import { BUSY_POLICIES, type BusyPolicy, isBusyPolicy } from "../handler/busy-policy.js";
import { checkEventsPerSecond } from "../runner/output-rate.js";
import type { AgentContext } from "./context.js";

/**
 * What an agent may `yield`: a chunk (validated with core's `toChunk`; the envelope `seq` and
 * `timestamp` are filled in) or a plain string, which is a `token` chunk.
 */
export type AgentYield = string | ChunkInput;

/** The input of one run: the AG-UI `RunAgentInput` plus the text of the latest user message. */
export interface AgentInput extends RunAgentInput {
  /** Text of the latest `user` message ("" when there is none). */
  prompt: string;
}

/**
 * The body of an agent. Each `yield` is streamed to the client as it is produced; the return
 * value becomes the `result` chunk (`output`; when nothing is returned, the text streamed so far).
 * A throw ends the run with an `error` chunk (the text streamed so far stays with the client).
 */
export type AgentRunFunction<TResult = unknown> = (
  input: AgentInput,
  ctx: AgentContext,
) => AsyncGenerator<AgentYield, TResult, undefined>;

/** What {@link defineAgent} takes. */
export interface AgentSpec<TResult = unknown> {
  /** Agent id: the `:agentId` of the routes. Letters, digits, `-` and `_`. */
  name: string;
  /** One sentence shown in `GET /api/agents` and CopilotKit's `/info`. */
  description: string;
  run: AgentRunFunction<TResult>;
  /**
   * What a run on a thread that already runs does: `reject` (409, the default), `interrupt`
   * (stop the current run, keep its partial output, start this one) or `enqueue` (start when the
   * current one ends). A request's `forwardedProps.busy` overrides it.
   */
  busy?: BusyPolicy;
  /**
   * This agent's output rate per stream, in events per second (overrides the server's
   * `eventsPerSecond`): beyond it, consecutive token and reasoning deltas of the same message
   * merge into one event before they enter the thread's log. Nothing is dropped, the order is
   * kept, other events are never merged. Default: the server's (none unless set).
   */
  eventsPerSecond?: number;
}

const BRAND: unique symbol = Symbol.for("agentstream.agent");

/** A defined agent: serve it with `createAgentServer`, wrap it with `GeneratorAgent`, or run it from another agent with `ctx.run`. */
export interface AgentDefinition<TResult = unknown> extends Readonly<AgentSpec<TResult>> {
  readonly [BRAND]: true;
}

/**
 * Defines an agent.
 *
 * @example
 * ```ts
 * export const echo = defineAgent({
 *   name: "echo",
 *   description: "Repeats what you say, word by word.",
 *   async *run(input, ctx) {
 *     yield { type: "status", status: "acting" };
 *     for (const word of input.prompt.split(" ")) {
 *       await ctx.pace();
 *       yield `${word} `;
 *     }
 *     return { words: input.prompt.split(" ").length };
 *   },
 * });
 * ```
 */
export function defineAgent<TResult = unknown>(spec: AgentSpec<TResult>): AgentDefinition<TResult> {
  if (!spec || typeof spec !== "object")
    throw new TypeError("defineAgent: expected { name, description, run }");
  if (typeof spec.name !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(spec.name)) {
    throw new TypeError(
      `defineAgent: name must be 1-64 letters, digits, "-" or "_" (got ${JSON.stringify(spec.name)})`,
    );
  }
  if (typeof spec.description !== "string")
    throw new TypeError(`defineAgent(${spec.name}): description must be a string`);
  if (typeof spec.run !== "function")
    throw new TypeError(`defineAgent(${spec.name}): run must be an async generator function`);
  if (spec.busy !== undefined && !isBusyPolicy(spec.busy))
    throw new TypeError(
      `defineAgent(${spec.name}): busy must be one of ${BUSY_POLICIES.join(", ")} (got ${JSON.stringify(spec.busy)})`,
    );
  const eventsPerSecond = checkEventsPerSecond(
    spec.eventsPerSecond,
    `defineAgent(${spec.name}): eventsPerSecond`,
  );
  return Object.freeze({
    name: spec.name,
    description: spec.description,
    run: spec.run,
    ...(spec.busy === undefined ? {} : { busy: spec.busy }),
    ...(eventsPerSecond === undefined ? {} : { eventsPerSecond }),
    [BRAND]: true as const,
  });
}

/** True for values made by {@link defineAgent}. */
export function isAgentDefinition(value: unknown): value is AgentDefinition {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
