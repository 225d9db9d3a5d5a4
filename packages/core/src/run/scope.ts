/**
 * What the reducer keeps per scope (the run, and each agent's lane): status, progress, timeline,
 * tool call ids, end; and the draft of one tool call.
 *
 * @packageDocumentation
 */
import type { AgentLane, RunError, RunResult, RunStatus, ToolCallState, ToolCallStatus } from "../state.js";
import { parsePartialArgs } from "./partial-json.js";
import { ProgressTracker } from "./progress.js";
import type { TextBuffer } from "./text-buffer.js";
import { type IdSource, Timeline } from "./timeline.js";

export interface ToolDraft {
  id: string;
  name: string;
  agent: string | undefined;
  args: TextBuffer;
  argsDirty: boolean;
  parsed: Record<string, unknown>;
  status: ToolCallStatus;
  result?: unknown;
  success?: boolean;
  hasResult: boolean;
  startedAt: number;
  endedAt?: number;
  cached?: ToolCallState;
  dirty: boolean;
}

/** The state a tool call's draft shows (its partial arguments parsed when they changed). */
export function toolCallState(t: ToolDraft): ToolCallState {
  if (t.argsDirty) {
    t.parsed = parsePartialArgs(t.args.value, t.parsed);
    t.argsDirty = false;
  }
  const s: ToolCallState = {
    id: t.id,
    name: t.name,
    argsText: t.args.value,
    args: t.parsed,
    status: t.status,
    startedAt: t.startedAt,
  };
  if (t.agent !== undefined) s.agent = t.agent;
  if (t.hasResult) {
    s.result = t.result;
    s.success = t.success as boolean;
  }
  if (t.endedAt !== undefined) s.endedAt = t.endedAt;
  return s;
}

/**
 * What the run and each lane share: status, progress, timeline (whose text segments also give the
 * scope's `text` and `thinking`), tool ids, end.
 */
export class Scope {
  status: RunStatus = "idle";
  readonly progress = new ProgressTracker();
  readonly timeline: Timeline;
  readonly toolCallIds: string[] = [];
  toolIdsChanged = false;
  private toolIdsCache: readonly string[] = [];
  error: RunError | undefined;
  result: RunResult | undefined;

  constructor(ids: IdSource) {
    this.timeline = new Timeline(ids);
  }

  toolIds(): readonly string[] {
    if (this.toolIdsChanged) {
      this.toolIdsCache = this.toolCallIds.slice();
      this.toolIdsChanged = false;
    }
    return this.toolIdsCache;
  }
}

export class LaneDraft extends Scope {
  version = 0;
  private cachedVersion = -1;
  private cached: AgentLane | undefined;

  constructor(
    readonly agent: string,
    ids: IdSource,
  ) {
    super(ids);
  }

  snapshot(): AgentLane {
    if (this.cached !== undefined && this.cachedVersion === this.version) return this.cached;
    const lane: AgentLane = {
      agent: this.agent,
      text: this.timeline.text.value,
      thinking: this.timeline.thinking.value,
      status: this.status,
      timeline: this.timeline.snapshot(),
      toolCallIds: this.toolIds(),
    };
    const progress = this.progress.snapshot();
    if (progress !== undefined) lane.progress = progress;
    if (this.error !== undefined) lane.error = this.error;
    if (this.result !== undefined) lane.result = this.result;
    this.cached = lane;
    this.cachedVersion = this.version;
    return lane;
  }
}
