/**
 * The body of `POST …/run`: an AG-UI `RunAgentInput` built from a prompt or a partial input.
 *
 * @packageDocumentation
 */

/** A message of the conversation sent to the agent (AG-UI `Message`). */
export interface RunMessage {
  id: string;
  role: "user" | "assistant" | "system" | "developer" | "tool" | (string & {});
  content?: unknown;
  [key: string]: unknown;
}

/**
 * The AG-UI `RunAgentInput` the run route receives. Every field is optional here: missing ids
 * are generated, the lists default to empty, `state` and `forwardedProps` to `{}`.
 */
export interface RunInput {
  threadId?: string;
  runId?: string;
  messages?: RunMessage[];
  tools?: unknown[];
  context?: unknown[];
  state?: unknown;
  forwardedProps?: unknown;
  [key: string]: unknown;
}

/** A {@link RunInput} with every field the route needs. */
export type CompleteRunInput = RunInput & {
  threadId: string;
  runId: string;
  messages: RunMessage[];
  tools: unknown[];
  context: unknown[];
};

let counter = 0;

/** A fresh id: a UUID where the platform has one, else a time-and-counter string. */
export function makeId(prefix: string): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The full `RunAgentInput` for a prompt (one user message) or a partial input. */
export function toRunAgentInput(input: string | RunInput | undefined): CompleteRunInput {
  const base: RunInput =
    typeof input === "string"
      ? { messages: [{ id: makeId("msg"), role: "user", content: input }] }
      : (input ?? {});
  return {
    ...base,
    threadId: base.threadId ?? makeId("thread"),
    runId: base.runId ?? makeId("run"),
    messages: base.messages ?? [],
    tools: base.tools ?? [],
    context: base.context ?? [],
    state: base.state ?? {},
    forwardedProps: base.forwardedProps ?? {},
  };
}
