/**
 * The run reducer: folds {@link RunStoreInput}s (chunks, plus the lifecycle inputs of AG-UI framing
 * events) into a mutable draft in O(1) per input (no copy of accumulated text or arrays), and
 * materializes an immutable {@link RunState} lazily, on {@link RunReducer.snapshot}. Each text delta
 * is kept once per scope (the run, its agent's lane): in its timeline segment, from which the
 * scope's `text` and `thinking` are joined at snapshot time.
 * Unchanged parts keep their identity between snapshots: segments, tool calls, lanes, progress.
 *
 * @packageDocumentation
 */
import type { StreamChunk } from "../chunk.js";
import type {
  AgentLane,
  AskState,
  RunError,
  RunInterruption,
  RunResult,
  RunState,
  RunStatus,
  StatusChange,
  TimelineSegment,
  ToolCallState,
} from "../state.js";
import type { RunStoreInput } from "./input.js";
import { MetricsDraft } from "./metrics.js";
import { LaneDraft, Scope, type ToolDraft, toolCallState } from "./scope.js";
import { TextBuffer } from "./text-buffer.js";
import { IdSource } from "./timeline.js";

/** The state of a run before anything happened. A fresh object per call. */
export function initialRunState(): RunState {
  return {
    status: "idle",
    statusHistory: [],
    text: "",
    thinking: "",
    timeline: [],
    toolCalls: {},
    toolCallOrder: [],
    asks: {},
    askOrder: [],
    lanes: [],
    metrics: { chunkCount: 0, tokenCount: 0 },
    done: false,
    version: 0,
  };
}

/**
 * The mutable fold behind a `RunStore`. `apply` is O(1) amortized per input; `snapshot`
 * materializes what changed since the last snapshot.
 */
export class RunReducer {
  private ids = new IdSource();
  private run = new Scope(this.ids);
  private iteration: number | undefined;
  private history: StatusChange[] = [];
  private historyCache: readonly StatusChange[] = [];
  private historyChanged = false;
  private tools = new Map<string, ToolDraft>();
  private dirtyTools: ToolDraft[] = [];
  private toolsCache: Readonly<Record<string, ToolCallState>> = {};
  private streamingTool = new Map<string, string>();
  private lanes = new Map<string, LaneDraft>();
  private laneOrder: LaneDraft[] = [];
  private lanesCache: readonly AgentLane[] = [];
  private interruption: RunInterruption | undefined;
  private asks: Readonly<Record<string, AskState>> = {};
  private askOrder: readonly string[] = [];
  private done = false;
  private metrics = new MetricsDraft();
  private _version = 0;
  private snapVersion = -1;
  private snap: RunState = initialRunState();

  /** Increases by one per folded chunk or state-changing event. */
  get version(): number {
    return this._version;
  }

  /** True once the run has ended. */
  get isDone(): boolean {
    return this.done;
  }

  /** Back to the initial state: the snapshot is {@link initialRunState}'s, with a newer `version`. */
  reset(): void {
    const version = this._version + 1;
    Object.assign(this, new RunReducer());
    this._version = version;
    this.snap = { ...initialRunState(), version };
    this.snapVersion = version;
  }

  private lane(agent: string): LaneDraft {
    let l = this.lanes.get(agent);
    if (l === undefined) {
      l = new LaneDraft(agent, this.ids);
      this.lanes.set(agent, l);
      this.laneOrder.push(l);
    }
    l.version++;
    return l;
  }

  private setStatus(status: RunStatus, at: number, agent: string | undefined, iteration?: number): void {
    this.run.status = status;
    const change: StatusChange = { status, at };
    if (iteration !== undefined) change.iteration = iteration;
    if (agent !== undefined) change.agent = agent;
    this.history.push(change);
    this.historyChanged = true;
  }

  private touch(at: number): void {
    this._version++;
    this.metrics.touch(at);
  }

  /**
   * Folds one input: a chunk (always a new version), or a lifecycle input (a new version only if
   * it changed something: a second `run_started`, a `tool_call_end` of a call that is not
   * streaming, a `run_finished` after the end change nothing).
   */
  apply(input: RunStoreInput): void {
    switch (input.type) {
      case "run_started":
        this.startRun(input.timestamp);
        return;
      case "tool_call_end":
        this.endToolCall(input.id);
        return;
      case "run_finished":
        this.finishRun(input.timestamp);
        return;
      default:
        this.applyChunk(input);
    }
  }

  private applyChunk(c: StreamChunk): void {
    const at = c.timestamp;
    this.touch(at);
    this.metrics.chunkCount++;
    if (c.metadata !== undefined && c.metadata.usage !== undefined) this.metrics.addUsage(c.metadata.usage);
    const agent = c.agent;
    const lane = agent === undefined ? undefined : this.lane(agent);
    if (c.type !== "status") {
      if (this.run.status === "idle") this.setStatus("started", at, agent);
      if (lane !== undefined && lane.status === "idle") lane.status = "started";
    }
    const key = agent ?? "";
    const streaming = this.streamingTool.get(key);
    if (streaming !== undefined && !(c.type === "tool_call" && c.id === streaming)) {
      this.streamingTool.delete(key);
      this.markCalled(streaming);
    }

    switch (c.type) {
      case "token": {
        this.metrics.token(at);
        this.run.timeline.appendText("text", agent, c.text, at);
        if (lane !== undefined) {
          lane.timeline.appendText("text", agent, c.text, at);
        }
        break;
      }
      case "thinking":
        this.run.timeline.appendText("thinking", agent, c.text, at);
        if (lane !== undefined) {
          lane.timeline.appendText("thinking", agent, c.text, at);
        }
        break;
      case "status": {
        this.iteration = c.iteration;
        const before = this.run.status;
        this.setStatus(c.status, at, agent, c.iteration);
        if (lane !== undefined) lane.status = c.status;
        // One lane finishing does not finish a multi-agent run: the run shows completed only
        // once every lane has (the history still records the lane's own change).
        if (lane !== undefined && c.status === "completed") {
          for (const l of this.lanes.values()) {
            if (l.status !== "completed") {
              this.run.status = before;
              break;
            }
          }
        }
        const make = (id: string): TimelineSegment => {
          const seg: TimelineSegment = { kind: "status", id, status: c.status, at };
          if (agent !== undefined) seg.agent = agent;
          if (c.iteration !== undefined) seg.iteration = c.iteration;
          return seg;
        };
        this.run.timeline.pushStatus(agent, make, at);
        if (lane !== undefined) lane.timeline.pushStatus(agent, make, at);
        break;
      }
      case "progress": {
        const make = (id: string): TimelineSegment => {
          const seg: TimelineSegment = { kind: "progress", id, current: c.current, label: c.step };
          if (agent !== undefined) seg.agent = agent;
          if (c.total !== undefined) seg.total = c.total;
          if (c.message !== undefined) seg.message = c.message;
          return seg;
        };
        this.run.progress.apply(c, at);
        this.run.timeline.upsertProgress(key, make, at);
        if (lane !== undefined) {
          lane.progress.apply(c, at);
          lane.timeline.upsertProgress(key, make, at);
        }
        break;
      }
      case "ask": {
        const prev = this.asks[c.id];
        const ask: AskState = { id: c.id, prompt: c.prompt, state: c.state, at: prev?.at ?? at };
        if (c.choices !== undefined) ask.choices = c.choices;
        if (c.schema !== undefined) ask.schema = c.schema;
        if (c.value !== undefined) ask.value = c.value;
        if (agent !== undefined) ask.agent = agent;
        this.setAsk(ask, at);
        break;
      }
      case "tool_call": {
        let t = this.tools.get(c.id);
        if (t === undefined) {
          t = this.newTool(c.id, c.name, agent, lane, at);
        } else if (c.name !== "" && c.name !== t.name) {
          t.name = c.name;
        }
        if (c.argsDelta !== undefined) {
          t.args.append(c.argsDelta);
          t.argsDirty = true;
        }
        if (c.args !== undefined) {
          // Complete arguments replace whatever streamed before.
          if (c.argsDelta === undefined) t.args = new TextBuffer(JSON.stringify(c.args));
          t.parsed = c.args;
          t.argsDirty = false;
          if (t.status === "streaming") t.status = "called";
          if (this.streamingTool.get(key) === c.id) this.streamingTool.delete(key);
        } else if (t.status === "streaming" || t.status === "called") {
          t.status = "streaming";
          this.streamingTool.set(key, c.id);
        }
        this.dirtyTool(t);
        break;
      }
      case "tool_result": {
        const t = this.tools.get(c.id) ?? this.newTool(c.id, c.name ?? "", agent, lane, at);
        if (t.name === "" && c.name !== undefined) t.name = c.name;
        for (const [k, id] of this.streamingTool) if (id === c.id) this.streamingTool.delete(k);
        t.status = c.success ? "complete" : "failed";
        t.result = c.result;
        t.hasResult = true;
        t.success = c.success;
        t.endedAt = at;
        this.dirtyTool(t);
        break;
      }
      case "result": {
        const result: RunResult = { output: c.output, success: c.success };
        if (c.duration !== undefined) result.duration = c.duration;
        const make = (id: string): TimelineSegment =>
          agent === undefined ? { kind: "result", id, result } : { kind: "result", id, agent, result };
        this.run.timeline.push(make, "result", at);
        if (lane !== undefined) {
          lane.result = result;
          lane.status = "completed";
          lane.progress.settle(c.success ? "done" : "failed", at);
          lane.timeline.push(make, "result", at);
        } else {
          this.run.result = result;
          this.setStatus("completed", at, agent);
          this.run.progress.settle(c.success ? "done" : "failed", at);
          this.end(at);
        }
        break;
      }
      case "error": {
        const error: RunError = { message: c.message };
        if (c.code !== undefined) error.code = c.code;
        if (c.recoverable !== undefined) error.recoverable = c.recoverable;
        const make = (id: string): TimelineSegment =>
          agent === undefined ? { kind: "error", id, error } : { kind: "error", id, agent, error };
        const fatal = c.recoverable !== true;
        this.run.timeline.push(make, "error", at);
        if (lane !== undefined) {
          lane.progress.fail(at);
          lane.timeline.push(make, "error", at);
          if (fatal) {
            lane.error = error;
            lane.status = "error";
          }
        } else {
          this.run.progress.fail(at);
          if (fatal) {
            this.run.error = error;
            this.setStatus("error", at, agent);
            this.end(at);
          }
        }
        break;
      }
      case "interrupted": {
        const interruption: RunInterruption = { reason: c.reason, at };
        if (c.partial !== undefined) interruption.partial = c.partial;
        const make = (id: string): TimelineSegment =>
          agent === undefined
            ? { kind: "interrupted", id, interruption }
            : { kind: "interrupted", id, agent, interruption };
        this.run.timeline.push(make, "interrupted", at);
        if (lane !== undefined) {
          lane.status = "interrupted";
          lane.progress.fail(at);
          lane.timeline.push(make, "interrupted", at);
        } else {
          this.interruption = interruption;
          this.setStatus("interrupted", at, agent);
          this.run.progress.fail(at);
          this.end(at);
          // Calls that never got their result were cut off with the run.
          for (const t of this.tools.values()) {
            if (t.status === "streaming" || t.status === "called") {
              t.status = "interrupted";
              this.dirtyTool(t);
            }
          }
        }
        break;
      }
    }
  }

  /** TOOL_CALL_END: the call's arguments are complete. Returns true if that changed something. */
  private endToolCall(id: string): boolean {
    const t = this.tools.get(id);
    if (t === undefined || t.status !== "streaming") return false;
    for (const [k, v] of this.streamingTool) if (v === id) this.streamingTool.delete(k);
    this._version++;
    this.markCalled(id);
    return true;
  }

  /** RUN_STARTED: records the start time and the `started` status. Returns true if that changed something. */
  private startRun(at: number): boolean {
    if (this.run.status !== "idle") return false;
    this.touch(at);
    this.setStatus("started", at, undefined);
    return true;
  }

  /** RUN_FINISHED without a result: the run is over (`completed` unless it failed). Returns true if that changed something. */
  private finishRun(at: number): boolean {
    if (this.done) return false;
    this.touch(at);
    if (this.run.status !== "completed") this.setStatus("completed", at, undefined);
    this.run.progress.settle("done", at);
    this.end(at);
    return true;
  }

  private end(at: number): void {
    this.done = true;
    this.metrics.endedAt = at;
    this.run.timeline.closeTail(at);
    for (const l of this.laneOrder) {
      l.timeline.closeTail(at);
      l.version++;
    }
    for (const id of this.streamingTool.values()) this.markCalled(id);
    this.streamingTool.clear();
    // A question still open when the run ends can no longer be answered.
    for (const id of this.askOrder) {
      const ask = this.asks[id] as AskState;
      if (ask.state === "open") this.setAsk({ ...ask, state: "cancelled" }, at);
    }
  }

  /** Records a question's latest state and shows it on the timeline (one segment per question). */
  private setAsk(ask: AskState, at: number): void {
    if (this.asks[ask.id] === undefined) this.askOrder = [...this.askOrder, ask.id];
    this.asks = { ...this.asks, [ask.id]: ask };
    const make = (id: string): TimelineSegment => {
      const seg: TimelineSegment = { kind: "ask", id, ask };
      if (ask.agent !== undefined) seg.agent = ask.agent;
      return seg;
    };
    this.run.timeline.upsertProgress(`ask:${ask.id}`, make, at, "ask");
    if (ask.agent !== undefined) {
      const lane = this.lane(ask.agent);
      lane.timeline.upsertProgress(`ask:${ask.id}`, make, at, "ask");
    }
  }

  /** A new tool call: registered, and placed on the run's (and its lane's) timeline. */
  private newTool(
    id: string,
    name: string,
    agent: string | undefined,
    lane: LaneDraft | undefined,
    at: number,
  ): ToolDraft {
    const t: ToolDraft = {
      id,
      name,
      agent,
      args: new TextBuffer(),
      argsDirty: false,
      parsed: {},
      status: "streaming",
      hasResult: false,
      startedAt: at,
      dirty: false,
    };
    this.tools.set(id, t);
    this.run.toolCallIds.push(id);
    this.run.toolIdsChanged = true;
    const make = (segId: string): TimelineSegment =>
      agent === undefined
        ? { kind: "tool", id: segId, toolCallId: id }
        : { kind: "tool", id: segId, agent, toolCallId: id };
    this.run.timeline.push(make, "tool", at);
    if (lane !== undefined) {
      lane.toolCallIds.push(id);
      lane.toolIdsChanged = true;
      lane.timeline.push(make, "tool", at);
    }
    return t;
  }

  private dirtyTool(t: ToolDraft): void {
    if (!t.dirty) {
      t.dirty = true;
      this.dirtyTools.push(t);
    }
  }

  private markCalled(id: string): void {
    const t = this.tools.get(id);
    if (t !== undefined && t.status === "streaming") {
      t.status = "called";
      this.dirtyTool(t);
    }
  }

  /** The current state: the same object until something changes. */
  snapshot(): RunState {
    if (this.snapVersion === this._version) return this.snap;
    const prev = this.snap;
    if (this.dirtyTools.length > 0) {
      const record: Record<string, ToolCallState> = { ...this.toolsCache };
      for (const t of this.dirtyTools) {
        t.dirty = false;
        record[t.id] = toolCallState(t);
      }
      this.dirtyTools.length = 0;
      this.toolsCache = record;
    }
    if (this.historyChanged) {
      this.historyCache = this.history.slice();
      this.historyChanged = false;
    }
    if (
      this.laneOrder.length !== this.lanesCache.length ||
      this.laneOrder.some((l, i) => l.snapshot() !== this.lanesCache[i])
    ) {
      this.lanesCache = this.laneOrder.map((l) => l.snapshot());
    }
    const state: RunState = {
      status: this.run.status,
      statusHistory: this.historyCache,
      text: this.run.timeline.text.value,
      thinking: this.run.timeline.thinking.value,
      timeline: this.run.timeline.snapshot(),
      toolCalls: this.toolsCache,
      toolCallOrder: this.run.toolIds(),
      asks: this.asks,
      askOrder: this.askOrder,
      lanes: this.lanesCache,
      metrics: this.metrics.snapshot(prev.metrics),
      done: this.done,
      version: this._version,
    };
    if (this.iteration !== undefined) state.iteration = this.iteration;
    const progress = this.run.progress.snapshot();
    if (progress !== undefined) state.progress = progress;
    if (this.run.result !== undefined) state.result = this.run.result;
    if (this.run.error !== undefined) state.error = this.run.error;
    if (this.interruption !== undefined) state.interruption = this.interruption;
    this.snap = state;
    this.snapVersion = this._version;
    return state;
  }
}
