import type { ChunkOf, ChunkType, ToolCallState } from "@agentstream/core";
import type { ComponentType } from "react";
import { progressValue } from "../internal/progress.js";
import { AgentStatus } from "./agent-status.js";
import { AskCard } from "./ask-card.js";
import { ErrorBlock } from "./error-block.js";
import { InterruptedMarker } from "./interrupted-marker.js";
import { ProgressBar } from "./progress-bar.js";
import { ResultBlock } from "./result-block.js";
import { ThinkingIndicator } from "./thinking-indicator.js";
import { ToolCallCard } from "./tool-call-card.js";

/** Props every chunk renderer receives. */
export interface ChunkComponentProps<K extends ChunkType = ChunkType> {
  chunk: ChunkOf<K>;
}

/** One renderer per chunk type. As a full record it is exhaustive: a new chunk type must be added. */
export type ChunkComponents = { [K in ChunkType]: ComponentType<ChunkComponentProps<K>> };

function TokenChunkView({ chunk }: ChunkComponentProps<"token">) {
  return <span className="as-chunk__text">{chunk.text}</span>;
}

function ThinkingChunkView({ chunk }: ChunkComponentProps<"thinking">) {
  return <ThinkingIndicator active={false} text={chunk.text} doneLabel={() => "Thinking"} />;
}

function StatusChunkView({ chunk }: ChunkComponentProps<"status">) {
  return (
    <AgentStatus status={chunk.status} iteration={chunk.iteration} agent={chunk.agent} announce={false} />
  );
}

function ProgressChunkView({ chunk }: ChunkComponentProps<"progress">) {
  return (
    <>
      <ProgressBar {...progressValue(chunk.current, chunk.total)} label={chunk.step} />
      {chunk.message ? <div className="as-progress__message">{chunk.message}</div> : null}
    </>
  );
}

function ToolCallChunkView({ chunk }: ChunkComponentProps<"tool_call">) {
  const complete = chunk.args !== undefined;
  const call: ToolCallState = {
    id: chunk.id,
    name: chunk.name,
    agent: chunk.agent,
    argsText: chunk.argsDelta ?? "",
    args: chunk.args ?? {},
    status: complete ? "called" : "streaming",
    startedAt: chunk.timestamp,
  };
  return <ToolCallCard call={call} />;
}

function ToolResultChunkView({ chunk }: ChunkComponentProps<"tool_result">) {
  const call: ToolCallState = {
    id: chunk.id,
    name: chunk.name ?? chunk.id,
    agent: chunk.agent,
    argsText: "",
    args: {},
    status: chunk.success ? "complete" : "failed",
    result: chunk.result,
    success: chunk.success,
    startedAt: chunk.timestamp,
  };
  return <ToolCallCard className="as-tool-result" call={call} hideArgs />;
}

function ResultChunkView({ chunk }: ChunkComponentProps<"result">) {
  return <ResultBlock result={{ output: chunk.output, success: chunk.success, duration: chunk.duration }} />;
}

function ErrorChunkView({ chunk }: ChunkComponentProps<"error">) {
  return <ErrorBlock error={{ message: chunk.message, code: chunk.code, recoverable: chunk.recoverable }} />;
}

function InterruptedChunkView({ chunk }: ChunkComponentProps<"interrupted">) {
  return <InterruptedMarker reason={chunk.reason} partial={chunk.partial} />;
}

function AskChunkView({ chunk }: ChunkComponentProps<"ask">) {
  return <AskCard ask={chunk} />;
}

/** The default renderer of each chunk type (exhaustive). */
export const DEFAULT_CHUNK_COMPONENTS: ChunkComponents = {
  token: TokenChunkView,
  thinking: ThinkingChunkView,
  status: StatusChunkView,
  progress: ProgressChunkView,
  tool_call: ToolCallChunkView,
  tool_result: ToolResultChunkView,
  result: ResultChunkView,
  error: ErrorChunkView,
  interrupted: InterruptedChunkView,
  ask: AskChunkView,
};
