import type { RunsApiRun } from "@agentstream/core";
import { type KeyboardEvent, useId } from "react";
import { formatDuration, formatNumber } from "../internal/format.js";

/** Props of {@link RunsTable}. */
export interface RunsTableProps {
  readonly runs: readonly RunsApiRun[];
  /** Called when a run is chosen (click, Enter or Space on its button). */
  readonly onSelect?: (run: RunsApiRun) => void;
  /** The run shown in the replay, marked as current. */
  readonly selected?: { threadId: string; runId: string } | undefined;
}

const short = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

/** Moves focus between the rows' buttons with the arrow keys, Home and End. */
function onArrows(event: KeyboardEvent<HTMLTableSectionElement>) {
  const keys = ["ArrowDown", "ArrowUp", "Home", "End"];
  if (!keys.includes(event.key)) return;
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>("button[data-run]")];
  const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (i < 0) return;
  event.preventDefault();
  const next =
    event.key === "Home"
      ? 0
      : event.key === "End"
        ? buttons.length - 1
        : Math.min(buttons.length - 1, Math.max(0, i + (event.key === "ArrowDown" ? 1 : -1)));
  buttons[next]?.focus();
}

/** The recent runs, newest first: a table whose first cell is a button that replays the run. */
export function RunsTable({ runs, onSelect, selected }: RunsTableProps) {
  const help = useId();
  return (
    <div className="as-dash-scroll">
      <table className="as-dash-table" aria-describedby={help}>
        <caption>
          Recent runs <span id={help}>(arrow keys move between runs; Enter replays one)</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Thread</th>
            <th scope="col">Status</th>
            <th scope="col">Route</th>
            <th scope="col">Started</th>
            <th scope="col" className="as-dash-num">
              First event
            </th>
            <th scope="col" className="as-dash-num">
              Duration
            </th>
            <th scope="col" className="as-dash-num">
              Tokens
            </th>
            <th scope="col" className="as-dash-num">
              Tokens/s
            </th>
            <th scope="col" className="as-dash-num">
              Readers
            </th>
          </tr>
        </thead>
        <tbody onKeyDown={onArrows}>
          {runs.length === 0 ? (
            <tr>
              <td colSpan={10} className="as-dash-empty">
                No runs yet
              </td>
            </tr>
          ) : (
            runs.map((run) => {
              const current =
                selected !== undefined && selected.runId === run.runId && selected.threadId === run.threadId;
              const seconds = run.durationMs / 1000;
              return (
                <tr
                  key={`${run.threadId}/${run.runId}`}
                  data-status={run.status}
                  aria-current={current || undefined}
                >
                  <th scope="row">
                    <button
                      type="button"
                      className="as-dash-link"
                      data-run={run.runId}
                      onClick={() => onSelect?.(run)}
                      aria-label={`Replay the run of ${run.agentId} on thread ${run.threadId} (${run.status})`}
                    >
                      {run.agentId}
                    </button>
                  </th>
                  <td className="as-dash-mono" title={run.threadId}>
                    {short(run.threadId)}
                  </td>
                  <td>
                    <span className="as-dash-status" data-status={run.status} title={run.message}>
                      {run.status}
                    </span>
                  </td>
                  <td>{run.route}</td>
                  <td>{new Date(run.startedAt).toLocaleTimeString("en-GB")}</td>
                  <td className="as-dash-num">
                    {run.timeToFirstEventMs === undefined ? "–" : formatDuration(run.timeToFirstEventMs)}
                  </td>
                  <td className="as-dash-num">{formatDuration(run.durationMs)}</td>
                  <td className="as-dash-num">{run.tokens}</td>
                  <td className="as-dash-num">{seconds > 0 ? formatNumber(run.tokens / seconds) : "–"}</td>
                  <td className="as-dash-num">{run.readers}</td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
