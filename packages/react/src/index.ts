/**
 * @agentstream/react: components, hooks and styles that make AI agents visible while they work.
 *
 * Import the stylesheet once: `import "@agentstream/react/styles.css"`. This entry holds the
 * components and the hooks that read a run store; what is heavier or optional has a subpath, so
 * this entry stays small: `@agentstream/react/store` (`useRunStore`: a store of your own, with
 * core's reducer), `@agentstream/react/sse` (the plain-route transport), `@agentstream/react/copilot`
 * (CopilotKit glue), `@agentstream/react/markdown` (markdown text), `@agentstream/react/seed`
 * (`StreamChunk` for the seed patterns' spellings).
 *
 * @packageDocumentation
 */
export { AgentStatus, type AgentStatusProps, RUN_STATUS_META } from "./components/agent-status.js";
export {
  type AnswerHandler,
  AskAnswerContext,
  AskCard,
  type AskCardProps,
  type AskCardQuestion,
} from "./components/ask-card.js";
export { ErrorBlock, type ErrorBlockProps } from "./components/error-block.js";
export { InterruptedMarker, type InterruptedMarkerProps } from "./components/interrupted-marker.js";
export {
  ProgressBar,
  type ProgressBarProps,
  type ProgressBarState,
  progressState,
} from "./components/progress-bar.js";
export { ResultBlock, type ResultBlockProps } from "./components/result-block.js";
export { STEP_STATE_META, StepProgress, type StepProgressProps } from "./components/step-progress.js";
export { StopButton, type StopButtonProps } from "./components/stop-button.js";
export {
  type ChunkComponentProps,
  type ChunkComponents,
  DEFAULT_CHUNK_COMPONENTS,
  StreamChunk,
  type StreamChunkProps,
} from "./components/stream-chunk.js";
export { StreamMetrics, type StreamMetricsProps } from "./components/stream-metrics.js";
export {
  DEFAULT_SEGMENT_COMPONENTS,
  type RenderText,
  type RenderTextContext,
  type SegmentComponentProps,
  type SegmentComponents,
  type SegmentOf,
} from "./components/stream-segment.js";
export { StreamView, type StreamViewProps } from "./components/stream-view.js";
export { ThinkingIndicator, type ThinkingIndicatorProps } from "./components/thinking-indicator.js";
export { TOOL_CALL_STATUS_META, ToolCallCard, type ToolCallCardProps } from "./components/tool-call-card.js";
export type { AgentRunControls, AgentRunInput, AgentRunStatus, RunSource } from "./hooks/types.js";
export { useRun } from "./hooks/use-run.js";
export {
  type StickToBottom,
  type StickToBottomOptions,
  useStickToBottom,
} from "./hooks/use-stick-to-bottom.js";
export { formatDuration } from "./internal/format.js";
