/**
 * Request checks shared by the run routes: the RunAgentInput shape, the agent id.
 *
 * @packageDocumentation
 */
import { type RunAgentInput, RunAgentInputSchema } from "@ag-ui/core";
import { HttpError } from "./errors.js";
import { checkId } from "./ids.js";

/**
 * Parses a RunAgentInput with @ag-ui/core's schema; a 422 {@link HttpError} naming the first
 * offending field otherwise, and a 400 `invalid_id` for a thread or run id outside the id
 * alphabet (see ./ids.ts).
 */
export function parseRunInput(body: unknown): RunAgentInput {
  if (body === undefined)
    throw new HttpError(422, "invalid_input", "Missing JSON body: expected a RunAgentInput");
  const parsed = RunAgentInputSchema.safeParse(body);
  if (parsed.success) {
    checkId("threadId", parsed.data.threadId);
    checkId("runId", parsed.data.runId);
    return parsed.data;
  }
  const issues = parsed.error.issues.slice(0, 5).map((issue) => ({
    field: issue.path.length ? issue.path.join(".") : "(body)",
    message: issue.message,
  }));
  const first = issues[0] ?? { field: "(body)", message: "invalid" };
  throw new HttpError(
    422,
    "invalid_input",
    `Invalid RunAgentInput: field "${first.field}": ${first.message}`,
    {
      field: first.field,
      issues,
    },
  );
}

/** A 404 for an unknown agent, listing the known ones. */
export function unknownAgent(agentId: string, known: readonly string[]): HttpError {
  return new HttpError(
    404,
    "unknown_agent",
    `Unknown agent "${agentId}". Known agents: ${known.join(", ")}`,
    {
      agents: [...known],
    },
  );
}
