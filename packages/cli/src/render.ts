/**
 * What the terminal shows of a run.
 *
 * - On a terminal (TTY): the answer streams as it is produced; below it a live area (redrawn
 *   with `log-update`, at most every 50 ms) holds the line being written, a progress bar for
 *   the current step and a status line (spinner, agent, status, elapsed time, tokens). Finished
 *   lines leave the live area for good, so a long answer scrolls like plain output and the
 *   redraw stays a few lines tall. Tool calls and results are compact lines, thinking is dimmed,
 *   errors are red (the partial answer stays), and the run ends with seed 002's figures.
 * - Elsewhere (a pipe, a file): the same transcript as plain lines, no redraw, no colour.
 * - `--json`: one chunk per line, nothing else on stdout.
 *
 * Colour follows `NO_COLOR` / `FORCE_COLOR` and whether stdout is a terminal.
 *
 * @packageDocumentation
 */
import type { RunState, StreamChunk } from "@agentstream/core";
import { createLogUpdate } from "log-update";
import pc from "picocolors";

/** Where output goes. */
export interface OutStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** How a run ended, as the command reports it. */
export type RunEnding =
  | { kind: "completed" }
  | { kind: "failed"; message: string }
  | { kind: "interrupted"; reason: string }
  | { kind: "unreachable"; message: string };

/** Shows one run. */
export interface Renderer {
  /** A chunk arrived; `state` reads the run's state (materialized on demand). */
  chunk(chunk: StreamChunk, state: () => RunState): void;
  /** The connection status changed (`reconnecting`…). */
  connection(status: string): void;
  /** A line for the person at the terminal, on stderr (above the live area, which is drawn again). */
  note(text: string): void;
  /** The run is over: print what is left and the figures. */
  finish(state: RunState, ending: RunEnding): void;
}

type Colors = ReturnType<typeof pc.createColors>;

/** Whether to colour `out`: a TTY, unless NO_COLOR; FORCE_COLOR forces it. */
export function colorEnabled(out: OutStream, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  return out.isTTY === true && env.TERM !== "dumb";
}

/** The NDJSON renderer. */
export function jsonRenderer(out: OutStream, err: OutStream): Renderer {
  return {
    chunk(chunk) {
      out.write(`${JSON.stringify(chunk)}\n`);
    },
    connection() {},
    note(text) {
      err.write(`${text}\n`);
    },
    finish() {},
  };
}

/** Seed 002's figures: duration, chunks, tokens, tokens/s. */
export function figures(state: RunState, elapsedMs: number): string {
  const m = state.metrics;
  const seconds = (m.duration ?? elapsedMs) / 1000;
  const rate = m.tokensPerSecond ?? (seconds > 0 ? m.tokenCount / seconds : 0);
  return `${seconds.toFixed(2)}s · ${m.chunkCount} chunks · ${m.tokenCount} tokens · ${rate.toFixed(1)} tokens/s`;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

function compact(value: unknown, max: number): string {
  let text: string;
  try {
    text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  text = text.replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function bar(current: number, total: number | undefined, width: number): string {
  if (!total || total <= 0) return "";
  const ratio = Math.max(0, Math.min(1, current / total));
  const full = Math.round(ratio * width);
  return `[${"█".repeat(full)}${"░".repeat(width - full)}] `;
}

/** Options of {@link textRenderer}. */
export interface TextRendererOptions {
  out: OutStream;
  /** Where errors go when not redrawing (a pipe): usually stderr. */
  err: OutStream;
  agent: string;
  /** Redraw a live area (a terminal) or write plain lines. */
  live: boolean;
  color: boolean;
  /** Clock (tests). */
  now?: () => number;
}

/** The human renderer: live on a terminal, plain lines elsewhere. */
export function textRenderer(options: TextRendererOptions): Renderer {
  const { out, err, agent, live } = options;
  const c: Colors = pc.createColors(options.color);
  const now = options.now ?? Date.now;
  const started = now();
  const columns = () => Math.max(20, out.columns ?? 80);
  const printedCalls = new Set<string>();
  /** Finished output not written yet (live mode: written at the next redraw). */
  let pending = "";
  /** The line being written, unstyled, and its kind. */
  let partial = "";
  let partialKind: "text" | "thinking" | undefined;
  let status = "connecting";
  let connection = "";
  let tokens = 0;
  let progress: { step: string; current: number; total?: number } | undefined;
  let frame = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const logUpdate = live ? createLogUpdate(out as NodeJS.WriteStream, { showCursor: true }) : undefined;

  const style = (kind: "text" | "thinking" | undefined, text: string) =>
    kind === "thinking" ? c.dim(text) : text;

  const emit = (text: string) => {
    if (live) pending += text;
    else out.write(text);
  };

  /** Ends the line being written. */
  const endLine = () => {
    if (partial === "" && partialKind === undefined) return;
    if (live) emit(`${style(partialKind, partial)}\n`);
    else emit("\n");
    partial = "";
    partialKind = undefined;
  };

  const line = (text: string) => {
    endLine();
    emit(`${text}\n`);
  };

  const append = (kind: "text" | "thinking", text: string) => {
    if (text === "") return;
    if (partialKind !== undefined && partialKind !== kind) endLine();
    partialKind = kind;
    if (!live) {
      out.write(style(kind, text));
      const nl = text.lastIndexOf("\n");
      partial = nl >= 0 ? text.slice(nl + 1) : partial + text;
      return;
    }
    partial += text;
    // Finished lines leave the live area; so do rows wider than the terminal.
    let nl = partial.indexOf("\n");
    while (nl >= 0) {
      emit(`${style(kind, partial.slice(0, nl))}\n`);
      partial = partial.slice(nl + 1);
      nl = partial.indexOf("\n");
    }
    const width = columns();
    while (partial.length > width) {
      const space = partial.lastIndexOf(" ", width);
      const cut = space > width / 2 ? space + 1 : width;
      emit(`${style(kind, partial.slice(0, cut).trimEnd())}\n`);
      partial = partial.slice(cut);
    }
  };

  const elapsed = () => `${((now() - started) / 1000).toFixed(1)}s`;

  const liveArea = () => {
    const rows: string[] = [];
    if (partial !== "") rows.push(style(partialKind, partial));
    if (progress) {
      const count = progress.total ? `${progress.current}/${progress.total}` : `${progress.current}`;
      rows.push(`${c.cyan(bar(progress.current, progress.total, 20))}${progress.step} ${c.dim(count)}`);
    }
    const spin = c.cyan(SPINNER[frame % SPINNER.length] as string);
    const parts = [agent, connection || status, elapsed(), `${tokens} tokens`];
    rows.push(`${spin} ${c.dim(parts.join(" · "))}`);
    return rows.join("\n");
  };

  const redraw = () => {
    if (!logUpdate) return;
    frame++;
    if (pending) {
      logUpdate.clear();
      out.write(pending);
      pending = "";
    }
    logUpdate(liveArea());
  };

  if (live) {
    timer = setInterval(redraw, 50);
    timer.unref?.();
  }

  const toolCallLines = (state: RunState) => {
    for (const id of state.toolCallOrder) {
      const call = state.toolCalls[id];
      if (!call || call.status === "streaming" || printedCalls.has(id)) continue;
      printedCalls.add(id);
      line(`${c.magenta("→")} ${c.bold(call.name)}${c.dim(`(${compact(call.args, 60)})`)}`);
    }
  };

  return {
    note(text) {
      logUpdate?.clear();
      err.write(`${text}\n`);
    },
    chunk(chunk, state) {
      switch (chunk.type) {
        case "token":
          tokens++;
          append("text", chunk.text);
          break;
        case "thinking":
          append("thinking", chunk.text);
          break;
        case "status":
          status = chunk.iteration !== undefined ? `${chunk.status} #${chunk.iteration}` : chunk.status;
          if (!live) line(`[status] ${status}`);
          break;
        case "progress":
          progress = {
            step: chunk.step,
            current: chunk.current,
            ...(chunk.total !== undefined ? { total: chunk.total } : {}),
          };
          if (!live)
            line(
              `[progress] ${chunk.step} ${chunk.total !== undefined ? `${chunk.current}/${chunk.total}` : chunk.current}${chunk.message ? ` ${chunk.message}` : ""}`,
            );
          break;
        case "tool_call":
          toolCallLines(state());
          break;
        case "tool_result": {
          toolCallLines(state());
          const name = chunk.name ?? state().toolCalls[chunk.id]?.name ?? "tool";
          const mark = chunk.success ? c.green("✓") : c.red("✗");
          line(`${c.magenta("←")} ${c.bold(name)} ${mark} ${c.dim(compact(chunk.result, 80))}`);
          break;
        }
        case "error":
          if (chunk.recoverable) line(c.yellow(`! ${chunk.message}`));
          break;
        default:
          break;
      }
    },
    connection(s) {
      connection = s === "reconnecting" ? "reconnecting…" : "";
      if (!live && s === "reconnecting") line("[connection] lost, resuming");
    },
    finish(state, ending) {
      if (timer) clearInterval(timer);
      endLine();
      const figs = figures(state, now() - started);
      let last: string;
      let toErr = false;
      switch (ending.kind) {
        case "completed":
          last = `${c.green("✓")} ${c.dim(figs)}`;
          break;
        case "interrupted":
          last = `${c.yellow(`■ interrupted: ${ending.reason}`)} ${c.dim(figs)}`;
          break;
        case "failed":
          last = `${c.red(`✗ error: ${ending.message}`)} ${c.dim(figs)}`;
          toErr = !live;
          break;
        case "unreachable":
          last = c.red(`✗ ${ending.message}`);
          toErr = !live;
          break;
      }
      if (logUpdate) {
        logUpdate.clear();
        out.write(`${pending}${last}\n`);
        pending = "";
        logUpdate.done();
      } else if (toErr) {
        err.write(`${last}\n`);
      } else out.write(`${last}\n`);
    },
  };
}
