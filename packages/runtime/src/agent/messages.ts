/**
 * Reading AG-UI messages: the latest user text, the tool result a run answers.
 *
 * @packageDocumentation
 */
import type { Message } from "@ag-ui/core";

/** The text of a message's content (string content, or the text parts of multimodal content). */
export function messageText(message: Message | undefined): string {
  if (!message) return "";
  const content = (message as { content?: unknown }).content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        part && typeof part === "object" && (part as { type?: string }).type === "text"
          ? String((part as { text?: unknown }).text ?? "")
          : "",
      )
      .filter(Boolean)
      .join("\n");
  }
  return "";
}

/** Text of the latest `user` message ("" when there is none). */
export function latestUserText(messages: readonly Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === "user") return messageText(message);
  }
  return "";
}

/** The result of a frontend tool call, as it comes back in the next run. */
export interface ToolResultInfo {
  toolCallId: string;
  /** Tool name, from the assistant message that made the call ("" if that message is missing). */
  name: string;
  /** Arguments the call was made with (parsed), when known. */
  args: Record<string, unknown>;
  /** The raw content of the `role: "tool"` message. */
  content: string;
  /** `content` parsed as JSON when it is JSON, else the string itself. */
  value: unknown;
  /** True when the client reported an error (CopilotKit sends `"Error: <message>"`). */
  isError: boolean;
}

/** When the last message is a `role: "tool"` message, the tool result it carries. */
export function trailingToolResult(messages: readonly Message[]): ToolResultInfo | undefined {
  const last = messages[messages.length - 1];
  if (last?.role !== "tool") return undefined;
  return toolResultAt(messages, messages.length - 1);
}

/**
 * The tool results a run answers: when the last message is a `role: "tool"` message, every
 * `role: "tool"` message after the latest user message, in order (several calls of one turn;
 * CopilotKit puts each result after the assistant message of its call).
 */
export function trailingToolResults(messages: readonly Message[]): ToolResultInfo[] {
  if (messages[messages.length - 1]?.role !== "tool") return [];
  const out: ToolResultInfo[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === "user") break;
    if (m?.role === "tool") out.unshift(toolResultAt(messages, i));
  }
  return out;
}

function toolResultAt(messages: readonly Message[], index: number): ToolResultInfo {
  const last = messages[index] as Extract<Message, { role: "tool" }>;
  const toolCallId = last.toolCallId;
  const content = typeof last.content === "string" ? last.content : JSON.stringify(last.content);
  let name = "";
  let args: Record<string, unknown> = {};
  for (let i = index - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== "assistant" || !m.toolCalls) continue;
    const call = m.toolCalls.find((c) => c.id === toolCallId);
    if (call) {
      name = call.function.name;
      args = parseObject(call.function.arguments);
      break;
    }
  }
  let value: unknown = content;
  try {
    value = JSON.parse(content);
  } catch {
    // plain text result
  }
  const isError = Boolean((last as { error?: unknown }).error) || /^Error:/.test(content);
  return { toolCallId, name, args, content, value, isError };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
