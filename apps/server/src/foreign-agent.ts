/**
 * A foreign agent, served the way a LangGraph, Mastra or CrewAI integration would be: a small
 * AG-UI `AbstractAgent` that streams like a LangGraph node (STATE_DELTA progress, a tool call in
 * TOOL_CALL_CHUNK pieces with its result, TEXT_MESSAGE_CHUNK text), wrapped with the runtime's
 * `fromAgUiAgent` in a generator agent, so its run gets AgentStream's status, progress, metrics
 * and the kit's UI like every embedded agent.
 *
 * @packageDocumentation
 */
import { AbstractAgent } from "@ag-ui/client";
import { type BaseEvent, EventType, type RunAgentInput } from "@ag-ui/core";
import { type AgentDefinition, defineAgent, fromAgUiAgent } from "@agentstream/runtime";
import { Observable } from "rxjs";

const NODES = ["retrieve", "grade", "generate"] as const;

/** A LangGraph-like graph: three nodes, progress in the shared state, a tool call, streamed text. */
export class GraphLikeAgent extends AbstractAgent {
  /** Milliseconds between events (0 in tests). */
  constructor(private readonly delayMs = 40) {
    super({ description: "A LangGraph-style AG-UI agent (state deltas, tool call chunks, text chunks)." });
  }

  run(input: RunAgentInput): Observable<BaseEvent> {
    const delayMs = this.delayMs;
    return new Observable<BaseEvent>((subscriber) => {
      let cancelled = false;
      const wait = () => new Promise((r) => setTimeout(r, delayMs));
      const emit = (event: Record<string, unknown>) => {
        if (!cancelled) subscriber.next(event as unknown as BaseEvent);
      };
      const prompt =
        [...input.messages]
          .reverse()
          .find((m) => m.role === "user")
          ?.content?.toString() || "your question";
      void (async () => {
        const { threadId, runId } = input;
        emit({ type: EventType.RUN_STARTED, threadId, runId });
        emit({
          type: EventType.STATE_SNAPSHOT,
          snapshot: { progress: { label: "start", current: 0, total: NODES.length } },
        });
        for (const [i, node] of NODES.entries()) {
          if (cancelled) return;
          emit({ type: EventType.STEP_STARTED, stepName: node });
          await wait();
          if (node === "retrieve") {
            const id = `tool_${runId}`;
            const args = JSON.stringify({ query: prompt, k: 3 });
            for (const piece of [args.slice(0, 10), args.slice(10)]) {
              emit({
                type: EventType.TOOL_CALL_CHUNK,
                toolCallId: id,
                toolCallName: "vector_search",
                parentMessageId: `msg_${runId}`,
                delta: piece,
              });
              await wait();
            }
            emit({ type: EventType.TOOL_CALL_END, toolCallId: id });
            emit({
              type: EventType.TOOL_CALL_RESULT,
              messageId: `tool_msg_${runId}`,
              toolCallId: id,
              content: JSON.stringify({ documents: 3 }),
              role: "tool",
            });
          }
          if (node === "generate") {
            const answer = `The graph retrieved three documents about "${prompt}", graded them, and wrote this answer one chunk at a time, as a LangGraph node streams.`;
            for (const word of answer.split(/(?<= )/)) {
              if (cancelled) return;
              emit({
                type: EventType.TEXT_MESSAGE_CHUNK,
                messageId: `msg_${runId}`,
                role: "assistant",
                delta: word,
              });
              await wait();
            }
          }
          emit({ type: EventType.STEP_FINISHED, stepName: node });
          emit({
            type: EventType.STATE_DELTA,
            delta: [
              { op: "replace", path: "/progress/label", value: node },
              { op: "replace", path: "/progress/current", value: i + 1 },
            ],
          });
        }
        emit({ type: EventType.RUN_FINISHED, threadId, runId });
        if (!cancelled) subscriber.complete();
      })().catch((error: unknown) => subscriber.error(error));
      return () => {
        cancelled = true;
      };
    });
  }
}

/** The foreign agent served through `fromAgUiAgent` (a fresh graph per run). */
export function createGraphAgent(delayMs = 40): AgentDefinition {
  return defineAgent({
    name: "graph",
    description:
      "A foreign AG-UI agent (LangGraph-style: state deltas, tool call chunks, text chunks) served through fromAgUiAgent.",
    async *run(input, ctx) {
      yield { type: "status", status: "started" };
      const outcome = yield* fromAgUiAgent(new GraphLikeAgent(delayMs), input, { signal: ctx.signal });
      yield { type: "status", status: "completed" };
      return { text: outcome.text, state: outcome.state };
    },
  });
}
