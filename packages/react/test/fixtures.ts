import { initialRunState, type RunState, type TimelineSegment, type ToolCallState } from "@agentstream/core";

/** A RunState for component tests (the real ones come from core's store). */
export function runState(overrides: Partial<RunState> = {}): RunState {
  return { ...initialRunState(), ...overrides };
}

export function toolCall(overrides: Partial<ToolCallState> = {}): ToolCallState {
  return {
    id: "call-1",
    name: "search",
    argsText: '{"query":"cats"}',
    args: { query: "cats" },
    status: "called",
    startedAt: 1_000,
    ...overrides,
  };
}

export function textSegment(id: string, text: string, agent?: string): TimelineSegment {
  return { kind: "text", id, text, agent };
}
