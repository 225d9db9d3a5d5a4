/**
 * What a generator agent hands the AI SDK from its AG-UI input: the conversation as the AI SDK's
 * model messages (`aiSdkMessages`) and the page's frontend tools as AI SDK tools without
 * `execute` (`aiSdkFrontendTools`: the model calls them, the page runs them). `ai` is not
 * imported here either: the shapes are structural.
 *
 * @packageDocumentation
 */
import type { Message, Tool } from "@ag-ui/core";

/** A Standard Schema carrying a JSON schema: what the AI SDK accepts as a tool's `inputSchema`. */
export interface JsonStandardSchema {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => { value: unknown };
    readonly jsonSchema: {
      readonly input: (options?: unknown) => Record<string, unknown>;
      readonly output: (options?: unknown) => Record<string, unknown>;
    };
  };
}

/** A tool definition in the AI SDK's shape, without `execute`: its calls go to the client. */
export interface AiSdkClientTool {
  description?: string;
  inputSchema: JsonStandardSchema;
}

/** A JSON schema as a Standard Schema the AI SDK can hand to a model (no validation: the client validates). */
export function jsonStandardSchema(schema: Record<string, unknown> | undefined): JsonStandardSchema {
  const json: Record<string, unknown> =
    schema && typeof schema === "object" && Object.keys(schema).length > 0
      ? schema
      : { type: "object", properties: {} };
  return {
    "~standard": {
      version: 1,
      vendor: "agentstream",
      validate: (value: unknown) => ({ value }),
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}

/**
 * The host's frontend tools (`ctx.tools`) as AI SDK tools without `execute`: the model may call
 * them, the call streams to the browser as a `tool_call`, and the page's handler (a generator
 * action too) runs there; its result comes back in the next run as a `role: "tool"` message.
 *
 * ```ts
 * streamText({ model, tools: { ...serverTools, ...aiSdkFrontendTools(ctx.tools) }, … })
 * ```
 */
export function aiSdkFrontendTools(tools: readonly Tool[]): Record<string, AiSdkClientTool> {
  const out: Record<string, AiSdkClientTool> = {};
  for (const tool of tools) {
    out[tool.name] = {
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: jsonStandardSchema(tool.parameters as Record<string, unknown> | undefined),
    };
  }
  return out;
}

/** A message in the AI SDK's `ModelMessage` shape (what `streamText({ messages })` takes). */
export type AiSdkModelMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | {
      role: "assistant";
      content: (
        | { type: "text"; text: string }
        | { type: "tool-call"; toolCallId: string; toolName: string; input: unknown }
      )[];
    }
  | {
      role: "tool";
      content: {
        type: "tool-result";
        toolCallId: string;
        toolName: string;
        output: { type: "text"; value: string };
      }[];
    };

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((part: { text?: unknown } | null) =>
        typeof part === "object" && part !== null && typeof part.text === "string" ? part.text : "",
      )
      .filter(Boolean)
      .join("\n");
  return "";
}

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text || "{}") as unknown;
  } catch {
    return { input: text };
  }
}

/**
 * AG-UI messages (`ctx.messages`) as AI SDK model messages: user, system/developer, assistant
 * text and tool calls, and tool results (paired with their call's name). Activity and reasoning
 * messages are left out.
 */
export function aiSdkMessages(messages: readonly Message[]): AiSdkModelMessage[] {
  const out: AiSdkModelMessage[] = [];
  const toolNames = new Map<string, string>();
  for (const m of messages) {
    const msg = m as Message & { content?: unknown; toolCalls?: unknown; toolCallId?: unknown };
    switch (msg.role) {
      case "system":
      case "developer":
        out.push({ role: "system", content: textOf(msg.content) });
        break;
      case "user":
        out.push({ role: "user", content: textOf(msg.content) });
        break;
      case "assistant": {
        const content: Extract<AiSdkModelMessage, { role: "assistant" }>["content"] = [];
        const text = textOf(msg.content);
        if (text) content.push({ type: "text", text });
        if (Array.isArray(msg.toolCalls)) {
          for (const call of msg.toolCalls as {
            id: string;
            function: { name: string; arguments: string };
          }[]) {
            toolNames.set(call.id, call.function.name);
            content.push({
              type: "tool-call",
              toolCallId: call.id,
              toolName: call.function.name,
              input: parseArgs(call.function.arguments),
            });
          }
        }
        if (content.length > 0) out.push({ role: "assistant", content });
        break;
      }
      case "tool": {
        const id = String(msg.toolCallId ?? "");
        out.push({
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: id,
              toolName: toolNames.get(id) ?? "tool",
              output: { type: "text", value: textOf(msg.content) },
            },
          ],
        });
        break;
      }
      default:
        break;
    }
  }
  return out;
}
