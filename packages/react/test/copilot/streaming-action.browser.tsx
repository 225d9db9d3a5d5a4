// biome-ignore-all lint/correctness/noComponentHookFactories: test components close over per-test state.
/**
 * useStreamingCopilotAction with the real CopilotKit client (react-core v2: provider, chat,
 * agent) against the real AgentStream server, in Chromium. The server's `default` agent calls a
 * page tool when the message says "call <toolName>" and, in the follow-up run, answers with the
 * tool result ("I ran countUp with {...} in your app. It returned ...").
 */
import { waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { INTERRUPTED_RESULT } from "../../src/copilot/run-tool-handler.js";
import { useStreamingCopilotAction } from "../../src/copilot/use-streaming-copilot-action.js";
import { gates, renderChat, sleep, toolCard } from "./fixtures/chat.js";
import { expectConsoleErrors } from "./fixtures/expected-console.js";

const text = (element: Element | null) => element?.textContent ?? "";

describe("useStreamingCopilotAction in a CopilotKit chat", () => {
  it("renders every yield in order while the handler runs, and the return value reaches the agent", async () => {
    const gate = gates();
    let handlerDone = false;
    function Tools() {
      useStreamingCopilotAction({
        name: "countUp",
        description: "Counts up to a number, showing its progress.",
        parameters: [{ name: "count", type: "number", description: "How far to count" }],
        async *handler({ count }) {
          for (let i = 1; i <= count; i++) {
            yield { type: "progress", step: `Step ${i}`, current: i, total: count };
            yield `tick${i} `;
            await gate.wait(i);
          }
          handlerDone = true;
          return { counted: count };
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    const done = chat.send("call countUp count: 3");

    const card = () => toolCard(chat.container, "countUp");
    for (let i = 1; i <= 3; i++) {
      await waitFor(() => expect(text(card())).toContain(`tick${i}`), { timeout: 10_000 });
      expect(text(card())).not.toContain(`tick${i + 1}`);
      const bar = card()?.querySelector('[role="progressbar"]');
      expect(bar?.getAttribute("aria-valuenow")).toBe(String(i));
      expect(bar?.getAttribute("aria-valuemax")).toBe("3");
      expect(handlerDone).toBe(false);
      expect(card()?.getAttribute("data-run-state")).not.toBe("completed");
      gate.open(i);
    }
    await done;
    expect(handlerDone).toBe(true);
    expect(text(card())).toMatch(/tick1 tick2 tick3/);
    expect(card()?.getAttribute("data-run-state")).toBe("completed");
    expect(text(card())).toContain('"counted": 3');
    await waitFor(() =>
      expect(text(chat.container)).toContain(
        'I ran countUp with {"count":3} in your app. It returned counted: 3.',
      ),
    );
    const toolMessage = chat.messages().find((m) => m.role === "tool");
    expect(toolMessage?.content).toBe('{"counted":3}');
  });

  // CopilotChat shows no Stop button while a frontend tool runs (its run has finished; checked:
  // data-copilot-running is "false"), so this stops the way the button would: stopAgent.
  it("stopping the chat aborts the signal, runs the generator's finally and shows the run interrupted", async () => {
    let finallyRan = false;
    let sawAbort = false;
    function Tools() {
      useStreamingCopilotAction({
        name: "watchFolder",
        description: "Watches a folder until stopped.",
        parameters: [],
        async *handler(_args, { signal }) {
          signal.addEventListener("abort", () => {
            sawAbort = true;
          });
          try {
            for (let i = 1; ; i++) {
              yield `event${i} `;
              await sleep(40, signal);
            }
          } finally {
            finallyRan = true;
          }
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    const done = chat.send("call watchFolder");
    const card = () => toolCard(chat.container, "watchFolder");
    await waitFor(() => expect(text(card())).toContain("event3"), { timeout: 10_000 });
    chat.stop();
    await waitFor(() => expect(finallyRan).toBe(true));
    expect(sawAbort).toBe(true);
    await waitFor(() => expect(card()?.getAttribute("data-run-state")).toBe("interrupted"));
    expect(text(card())).toMatch(/interrupted/i);
    await done;
    const toolMessage = chat.messages().find((m) => m.role === "tool");
    expect(toolMessage?.content).toBe(INTERRUPTED_RESULT);
    // Stopped: no follow-up run, so no answer about the tool.
    await sleep(300);
    expect(text(chat.container)).not.toContain("I ran watchFolder");
  });

  it("the card's Stop button stops that action alone; the agent hears it was interrupted", async () => {
    let finallyRan = false;
    function Tools() {
      useStreamingCopilotAction({
        name: "crawlSite",
        description: "Crawls a site page by page.",
        parameters: [],
        async *handler(_args, { signal }) {
          try {
            for (let i = 1; ; i++) {
              yield { type: "progress", step: `Page ${i}`, current: i };
              await sleep(40, signal);
            }
          } finally {
            finallyRan = true;
          }
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    const done = chat.send("call crawlSite");
    const card = () => toolCard(chat.container, "crawlSite");
    await waitFor(() => expect(text(card())).toContain("Page 2"), { timeout: 10_000 });
    const stop = card()?.querySelector<HTMLButtonElement>("button.as-stop");
    expect(stop?.disabled).toBe(false);
    stop?.click();
    await waitFor(() => expect(finallyRan).toBe(true));
    await waitFor(() => expect(card()?.getAttribute("data-run-state")).toBe("interrupted"));
    expect(card()?.querySelector("button.as-stop")).toBeNull();
    await done;
    await waitFor(() =>
      expect(text(chat.container)).toContain(
        `I ran crawlSite in your app. It returned "${INTERRUPTED_RESULT}"`,
      ),
    );
  });

  it("a throw renders an error in the card and the agent receives an error result", async () => {
    expectConsoleErrors(/tool_handler_failed/); // CopilotKit logs the handler's failure the test provokes
    function Tools() {
      useStreamingCopilotAction({
        name: "exportReport",
        description: "Exports the report.",
        parameters: [],
        async *handler() {
          yield "Writing page 1… ";
          await sleep(20);
          throw new Error("disk full");
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    await chat.send("call exportReport");
    const card = () => toolCard(chat.container, "exportReport");
    await waitFor(() => expect(card()?.getAttribute("data-run-state")).toBe("error"));
    expect(text(card())).toContain("Writing page 1");
    expect(text(card())).toContain("disk full");
    expect(card()?.getAttribute("data-state")).toBe("failed");
    const toolMessage = chat.messages().find((m) => m.role === "tool");
    expect(toolMessage?.content).toBe("Error: disk full");
  });

  it("a custom render receives status, args, the live run, the result and the tool call id", async () => {
    const seen: { status: string; text: string; result: unknown; toolCallId: string; args: unknown }[] = [];
    const gate = gates();
    function Tools() {
      useStreamingCopilotAction({
        name: "translateText",
        description: "Translates a text.",
        parameters: [{ name: "text", type: "string", description: "What to translate" }],
        async *handler({ text: input }) {
          yield "Bonjour ";
          await gate.wait(1);
          yield "le monde";
          return `translated: ${input}`;
        },
        render({ status, args, run, result, toolCallId }) {
          seen.push({ status, text: run.text, result, toolCallId, args });
          return (
            <output data-testid="translation" data-status={status}>
              {run.text}
              {result ? ` [${String(result)}]` : ""}
            </output>
          );
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    const done = chat.send('call translateText "hello world"');
    const out = () => chat.container.querySelector('[data-testid="translation"]');
    await waitFor(() => expect(text(out())).toBe("Bonjour "), { timeout: 10_000 });
    expect(out()?.getAttribute("data-status")).toBe("executing");
    gate.open(1);
    await done;
    await waitFor(() => expect(text(out())).toBe("Bonjour le monde [translated: hello world]"));
    expect(out()?.getAttribute("data-status")).toBe("complete");
    const last = seen[seen.length - 1];
    expect(last?.args).toEqual({ text: "hello world" });
    expect(last?.toolCallId).toMatch(/^call_/);
    expect(seen.some((s) => s.status === "executing" && s.text === "Bonjour ")).toBe(true);
  });

  it("takes a zod schema for parameters, and plain async handlers still work", async () => {
    const received: unknown[] = [];
    function Tools() {
      useStreamingCopilotAction({
        name: "lookupWeather",
        description: "Looks up the weather of a city.",
        parameters: z.object({ city: z.string().describe("The city") }),
        handler: async ({ city }) => {
          received.push(city);
          await sleep(20);
          return { city, forecast: "sunny" };
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    await chat.send('call lookupWeather "Oslo"');
    expect(received).toEqual(["Oslo"]);
    const card = () => toolCard(chat.container, "lookupWeather");
    await waitFor(() => expect(card()?.getAttribute("data-run-state")).toBe("completed"));
    expect(text(card())).toContain("sunny");
    await waitFor(() => expect(text(chat.container)).toContain("It returned city: Oslo; forecast: sunny."));
  });
});
