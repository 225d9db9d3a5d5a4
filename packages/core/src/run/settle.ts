/**
 * The status model every surface derives from: how a run (or one agent's lane of it) ended, and
 * what each part still shown as live takes when it ends. The reducer folds what the stream said;
 * a stream that ends mid-step leaves parts that look live (a tool call "called", a step "active",
 * a status segment "observing"). {@link settleRun} gives the state as it must be shown: once the
 * run has ended, nothing in it is still running.
 *
 * - A tool call still streaming or called takes the end: `complete` (the run completed),
 *   `interrupted` (stopped), `failed` (the run failed).
 * - A step still active takes the end: `done`, `stopped` (neutral, not a failure), `failed`; the
 *   step the interruption cut off (which the reducer marks `failed` at the interruption) is `stopped`.
 * - Status segments of a busy status (`started`, `thinking`, `acting`, `observing`) leave the
 *   timeline: the run's end (result, error, interruption marker) says how it went.
 *
 * A completed run may also have handed tool calls over to the page (CopilotKit's frontend tools:
 * the run ends with the call unanswered, the browser runs it, a follow-up run gets its result).
 * {@link applyToolOutcomes} folds what became of those calls into the run first (see
 * {@link turnStatus}): a call still running keeps the turn busy, a stopped one ends it `interrupted`.
 *
 * @packageDocumentation
 */
import type {
  AgentLane,
  ProgressState,
  ProgressStep,
  RunState,
  RunStatus,
  StepState,
  TimelineSegment,
  ToolCallState,
  ToolCallStatus,
} from "../state.js";

/** How a run (or a lane) ended: the state its live parts take. */
export type RunEnd = "completed" | "interrupted" | "error";

/** Statuses during which an agent is at work. Exhaustive: a new status is a compile error. */
export const BUSY_STATUS: Readonly<Record<RunStatus, boolean>> = {
  idle: false,
  started: true,
  thinking: true,
  acting: true,
  observing: true,
  completed: false,
  interrupted: false,
  error: false,
};

/** True while `status` says the agent is at work (the badge animates). */
export function isBusyStatus(status: RunStatus): boolean {
  return BUSY_STATUS[status] ?? false;
}

/** The end a terminal status stands for (`completed`, `interrupted`, `error`); `undefined` otherwise. */
export function endOfStatus(status: RunStatus): RunEnd | undefined {
  return status === "completed" || status === "interrupted" || status === "error" ? status : undefined;
}

/** How a run ended, or `undefined` while it has not. */
export function runEnd(
  run: Pick<RunState, "done" | "status" | "error" | "interruption">,
): RunEnd | undefined {
  if (!run.done) return undefined;
  const byStatus = endOfStatus(run.status);
  if (byStatus !== undefined) return byStatus;
  if (run.error !== undefined) return "error";
  if (run.interruption !== undefined) return "interrupted";
  return "completed";
}

/** How one agent's lane ended, or `undefined` while it works. */
export function laneEnd(lane: Pick<AgentLane, "status">): RunEnd | undefined {
  return endOfStatus(lane.status);
}

/** The status a tool call shows once its run ended `end` (a live call takes the end). */
export function endedToolStatus(status: ToolCallStatus, end: RunEnd | undefined): ToolCallStatus {
  if (end === undefined || (status !== "streaming" && status !== "called")) return status;
  return end === "completed" ? "complete" : end === "interrupted" ? "interrupted" : "failed";
}

/** The state a step shows once its run ended `end` (an active or pending step takes the end). */
export function endedStepState(state: StepState, end: RunEnd | undefined): StepState {
  if (end === undefined || (state !== "active" && state !== "pending")) return state;
  if (end === "completed") return "done";
  // A step that never began stays pending; the one under way stops (neutral) or fails with the run.
  if (state === "pending") return state;
  return end === "interrupted" ? "stopped" : "failed";
}

/**
 * The status of a tool call from the run of its handler (a browser action's run store): `called`
 * while it runs, then `complete`, `failed` or `interrupted` as that run ended.
 */
export function toolStatusOfRun(
  run: Pick<RunState, "done" | "status" | "error" | "interruption" | "result">,
): ToolCallStatus {
  if (run.status === "idle") return "streaming";
  const end = runEnd(run);
  if (end === undefined) return "called";
  if (end === "completed") return run.result?.success === false ? "failed" : "complete";
  return end === "interrupted" ? "interrupted" : "failed";
}

/**
 * The status of a turn whose run ended with `status` and handed tool calls over that became
 * `outcomes`: a call still running keeps it busy (`acting`); a completed run whose handed-over
 * call was stopped (or cut off) ended `interrupted`; otherwise the run's own status.
 */
export function turnStatus(status: RunStatus, outcomes: Iterable<ToolCallStatus>): RunStatus {
  if (status !== "completed") return status;
  let stopped = false;
  for (const outcome of outcomes) {
    if (outcome === "streaming" || outcome === "called") return "acting";
    if (outcome === "interrupted") stopped = true;
  }
  return stopped ? "interrupted" : status;
}

/**
 * The calls a completed run handed over: still `streaming` or `called`, with no result (a
 * frontend tool the page runs). Empty while the run goes, and for runs that did not complete.
 */
export function awaitingToolCalls(run: RunState): ToolCallState[] {
  if (!run.done || run.status !== "completed") return [];
  const out: ToolCallState[] = [];
  for (const id of run.toolCallOrder) {
    const call = run.toolCalls[id];
    if (call === undefined || call.success !== undefined || call.result !== undefined) continue;
    if (call.status === "streaming" || call.status === "called") out.push(call);
  }
  return out;
}

/**
 * Folds what became of a completed run's handed-over calls (`outcomes`, by tool call id: see
 * {@link awaitingToolCalls}) into the run: the calls take their outcome and the run
 * {@link turnStatus}'s status (a call still running makes the run busy again, `done: false`).
 * Calls without an outcome stay as they are. The same object when that changes nothing.
 */
export function applyToolOutcomes(
  run: RunState,
  outcomes: Readonly<Record<string, ToolCallStatus>>,
): RunState {
  const awaiting = awaitingToolCalls(run);
  if (awaiting.length === 0) return run;
  let toolCalls: Record<string, ToolCallState> | undefined;
  const statuses: ToolCallStatus[] = [];
  for (const call of awaiting) {
    const outcome = outcomes[call.id];
    if (outcome === undefined) continue; // unknown: the call stays as the run left it
    statuses.push(outcome);
    if (outcome !== call.status) {
      toolCalls ??= { ...run.toolCalls };
      toolCalls[call.id] = { ...call, status: outcome };
    }
  }
  const status = turnStatus(run.status, statuses);
  if (toolCalls === undefined && status === run.status) return run;
  const next: RunState = { ...run, toolCalls: toolCalls ?? run.toolCalls, status };
  if (status !== run.status && isBusyStatus(status)) next.done = false;
  return next;
}

/** Steps of an ended scope: live ones take the end; the one an interruption cut off is `stopped`. */
function settleSteps(
  steps: readonly ProgressStep[],
  end: RunEnd,
  interruptedAt: number | undefined,
): readonly ProgressStep[] {
  let out: ProgressStep[] | undefined;
  steps.forEach((step, i) => {
    let state = endedStepState(step.state, end);
    if (end === "interrupted" && step.state === "failed" && step.endedAt === interruptedAt) state = "stopped";
    if (state !== step.state) {
      out ??= steps.slice();
      out[i] = { ...step, state };
    }
  });
  return out ?? steps;
}

function settleProgress(
  progress: ProgressState | undefined,
  end: RunEnd,
  interruptedAt: number | undefined,
): ProgressState | undefined {
  if (progress === undefined) return undefined;
  const steps = settleSteps(progress.steps, end, interruptedAt);
  return steps === progress.steps ? progress : { ...progress, steps };
}

/** A timeline without the busy status segments of ended scopes (`ended(agent)`). */
function settleTimeline(
  timeline: readonly TimelineSegment[],
  ended: (agent: string | undefined) => boolean,
): readonly TimelineSegment[] {
  const drop = (s: TimelineSegment) => s.kind === "status" && isBusyStatus(s.status) && ended(s.agent);
  return timeline.some(drop) ? timeline.filter((s) => !drop(s)) : timeline;
}

/** When a scope's interruption happened (its `interrupted` segment), for the step it cut off. */
function interruptionAt(timeline: readonly TimelineSegment[]): number | undefined {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const s = timeline[i] as TimelineSegment;
    if (s.kind === "interrupted") return s.interruption.at;
  }
  return undefined;
}

function settleLane(lane: AgentLane): AgentLane {
  const end = laneEnd(lane);
  if (end === undefined) return lane;
  const at = end === "interrupted" ? interruptionAt(lane.timeline) : undefined;
  const progress = settleProgress(lane.progress, end, at);
  const timeline = settleTimeline(lane.timeline, () => true);
  if (progress === lane.progress && timeline === lane.timeline) return lane;
  const next: AgentLane = { ...lane, timeline };
  if (progress !== undefined) next.progress = progress;
  return next;
}

const settled = new WeakMap<RunState, RunState>();

/**
 * The run as every surface must show it: once the run (or a lane) has ended, its tool calls,
 * steps and status segments take the end (see the module's documentation). Pure; memoized per
 * state object, and the same object when nothing is left live (always, while the run goes and
 * no lane has ended).
 */
export function settleRun(run: RunState): RunState {
  const hit = settled.get(run);
  if (hit !== undefined) return hit;
  const out = computeSettled(run);
  settled.set(run, out);
  if (out !== run) settled.set(out, out);
  return out;
}

function computeSettled(run: RunState): RunState {
  const end = runEnd(run);
  const laneEnds = new Map<string, RunEnd>();
  for (const lane of run.lanes) {
    const e = laneEnd(lane);
    if (e !== undefined) laneEnds.set(lane.agent, e);
  }
  if (end === undefined && laneEnds.size === 0) return run;
  const endOf = (agent: string | undefined): RunEnd | undefined =>
    end ?? (agent === undefined ? undefined : laneEnds.get(agent));

  let toolCalls: Record<string, ToolCallState> | undefined;
  for (const id of run.toolCallOrder) {
    const call = run.toolCalls[id];
    if (call === undefined) continue;
    const status = endedToolStatus(call.status, endOf(call.agent));
    if (status !== call.status) {
      toolCalls ??= { ...run.toolCalls };
      toolCalls[id] = { ...call, status };
    }
  }
  const lanes = run.lanes.map(settleLane);
  const lanesChanged = lanes.some((l, i) => l !== run.lanes[i]);
  const timeline = settleTimeline(run.timeline, (agent) => endOf(agent) !== undefined);
  const progress = end === undefined ? run.progress : settleProgress(run.progress, end, run.interruption?.at);

  if (toolCalls === undefined && !lanesChanged && timeline === run.timeline && progress === run.progress)
    return run;
  const next: RunState = {
    ...run,
    toolCalls: toolCalls ?? run.toolCalls,
    lanes: lanesChanged ? lanes : run.lanes,
    timeline,
  };
  if (progress !== undefined) next.progress = progress;
  return next;
}
