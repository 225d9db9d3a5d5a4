// biome-ignore-all lint/correctness/noComponentHookFactories: test components close over per-test state.
/**
 * A real model path in Chromium: `CopilotChat` with the server's `llm` agent (the AI SDK's
 * `streamText` + the runtime's `fromAiSdk`) on the AI SDK's own test model (`MockLanguageModelV3`,
 * no network). The model calls the page's generator-based action; every yield renders live in
 * the chat; the generator's return value goes back to the model, which answers with it.
 */
import { waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { useStreamingCopilotAction } from "../../src/copilot/use-streaming-copilot-action.js";
import { gates, renderChat, toolCard } from "./fixtures/chat.js";

const text = (element: Element | null) => element?.textContent ?? "";

describe("the llm agent (AI SDK, MockLanguageModelV3) calls a generator-based browser action", () => {
  it("the model's tool call runs the generator, its yields render live, its result reaches the model", async () => {
    const gate = gates();
    let handlerArgs: unknown;
    function Tools() {
      useStreamingCopilotAction({
        name: "countSteps",
        description: "Counts through steps in the page, showing progress.",
        parameters: [{ name: "steps", type: "number", description: "How many steps" }],
        async *handler(args) {
          handlerArgs = args;
          const steps = Number(args.steps);
          for (let i = 1; i <= steps; i++) {
            yield { type: "progress", step: `Step ${i}`, current: i, total: steps };
            yield `step${i} `;
            await gate.wait(i);
          }
          return { counted: steps };
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />, "llm");
    const done = chat.send('Please run countSteps with {"steps":2}');

    // The model's text before the call streams into the chat.
    await waitFor(() => expect(text(chat.container)).toContain("Calling countSteps in your app."), {
      timeout: 15_000,
    });
    const card = () => toolCard(chat.container, "countSteps");
    for (let i = 1; i <= 2; i++) {
      await waitFor(() => expect(text(card())).toContain(`step${i}`), { timeout: 10_000 });
      expect(text(card())).not.toContain(`step${i + 1}`);
      expect(card()?.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow")).toBe(String(i));
      gate.open(i);
    }
    await done;
    expect(handlerArgs).toEqual({ steps: 2 });
    await waitFor(() => expect(card()?.getAttribute("data-run-state")).toBe("completed"));
    const toolMessage = chat.messages().find((m) => m.role === "tool");
    expect(toolMessage?.content).toBe('{"counted":2}');
    // The follow-up run: the model received the generator's return value and answered with it.
    await waitFor(() =>
      expect(text(chat.container)).toContain('The model read the tool result: {"counted":2}'),
    );
  });
});
