// biome-ignore-all lint/correctness/noComponentHookFactories: test components close over per-test state.
/**
 * Two generator actions in one agent turn, and a question (`yield ask(...)`) in one of them,
 * with the real CopilotKit client (react-core v2: provider, chat, agent) against the real
 * AgentStream server, in Chromium. The test server's `pair` agent calls the two tools named in
 * the message at once (`ctx.callTools`) and, in the follow-up run, answers with both results.
 * CopilotKit #3041 reports that only the first tool render fires for such a turn: here both
 * render. CopilotKit runs the handlers of one turn one after the other (it awaits each), so
 * "simultaneous" means both cards in the chat at once, the second one queued until the first
 * returns; a question in the first one holds the second back until it is answered.
 */
import { cleanup, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { userEvent } from "vitest/browser";
import { ask } from "../../src/copilot/run-tool-handler.js";
import { useStreamingCopilotAction } from "../../src/copilot/use-streaming-copilot-action.js";
import { gates, renderChat, sleep, toolCard } from "./fixtures/chat.js";

const text = (element: Element | null) => element?.textContent ?? "";

let errors: string[] = [];
const original = console.error;
beforeEach(() => {
  errors = [];
  console.error = (...args: unknown[]) => {
    errors.push(args.map(String).join(" "));
    original(...args);
  };
});
afterEach(() => {
  cleanup();
  console.error = original;
  expect(errors, "console errors").toEqual([]);
});

describe("two generator actions in one turn, through CopilotChat", () => {
  it("renders both cards live, and both results reach the agent", async () => {
    const gate = gates();
    const started: string[] = [];
    function Tools() {
      useStreamingCopilotAction({
        name: "fetchLeft",
        description: "Fetches the left half.",
        parameters: [{ name: "label", type: "string", description: "A label" }],
        async *handler({ label }) {
          started.push("left");
          yield `left ${label} step1 `;
          await gate.wait(1);
          yield "left step2";
          return { side: "left" };
        },
      });
      useStreamingCopilotAction({
        name: "fetchRight",
        description: "Fetches the right half.",
        parameters: [{ name: "label", type: "string", description: "A label" }],
        async *handler({ label }) {
          started.push("right");
          yield `right ${label} step1 `;
          await gate.wait(2);
          yield "right step2";
          return { side: "right" };
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />, "pair");
    const done = chat.send("pair fetchLeft fetchRight");
    const left = () => toolCard(chat.container, "fetchLeft");
    const right = () => toolCard(chat.container, "fetchRight");
    // Both cards are in the chat while the first action runs.
    await waitFor(() => expect(text(left())).toContain("left call 1 step1"), { timeout: 10_000 });
    await waitFor(() => expect(right()).toBeTruthy());
    // CopilotKit (core 1.74, processAgentResult) awaits each tool handler in turn: the second
    // card is there (no #3041 here), its handler starts once the first one returned.
    expect(started).toEqual(["left"]);
    expect(right()?.getAttribute("data-run-state")).toBe("idle");
    gate.open(1);
    await waitFor(() => expect(text(right())).toContain("right call 2 step1"), { timeout: 10_000 });
    expect(text(left())).toContain("left step2");
    gate.open(2);
    await done;
    expect(started).toEqual(["left", "right"]);
    await waitFor(() => expect(left()?.getAttribute("data-run-state")).toBe("completed"));
    await waitFor(() => expect(right()?.getAttribute("data-run-state")).toBe("completed"));
    await waitFor(() =>
      expect(text(chat.container)).toContain(
        'Results: fetchLeft → {"side":"left"}; fetchRight → {"side":"right"}.',
      ),
    );
    const toolMessages = chat.messages().filter((m) => m.role === "tool");
    expect(toolMessages.map((m) => m.content)).toEqual(['{"side":"left"}', '{"side":"right"}']);
  });

  it("a question in the first action is answered from the keyboard (Tab, Enter); the second action then runs", async () => {
    function Tools() {
      useStreamingCopilotAction({
        name: "confirmLeft",
        description: "Asks before it goes on.",
        parameters: [],
        async *handler() {
          yield "Ready. ";
          const choice: unknown = yield ask({ prompt: "Go on with the left half?", choices: ["Yes", "No"] });
          return { left: choice };
        },
      });
      useStreamingCopilotAction({
        name: "fetchRight",
        description: "Fetches the right half.",
        parameters: [],
        async *handler() {
          yield "right working ";
          await sleep(20);
          return { side: "right" };
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />, "pair");
    const done = chat.send("pair confirmLeft fetchRight");
    const left = () => toolCard(chat.container, "confirmLeft");
    const group = () => left()?.querySelector<HTMLElement>('.as-ask[role="group"]') ?? null;
    await waitFor(() => expect(group()).not.toBeNull(), { timeout: 10_000 });
    const card = group() as HTMLElement;
    // Named by the prompt, focused when it appears, announced politely.
    const labelledBy = card.getAttribute("aria-labelledby") ?? "";
    expect(document.getElementById(labelledBy)?.textContent).toBe("Go on with the left half?");
    await waitFor(() => expect(document.activeElement).toBe(card));
    expect(text(card.querySelector('[aria-live="polite"]'))).toBe("Question: Go on with the left half?");
    const buttons = [...card.querySelectorAll("button")].map((b) => b.textContent);
    expect(buttons).toEqual(["Yes", "No"]);

    // Keyboard: Tab to "Yes", Tab to "No", Enter.
    await userEvent.tab();
    expect(document.activeElement?.textContent).toBe("Yes");
    await userEvent.tab();
    expect(document.activeElement?.textContent).toBe("No");
    await userEvent.keyboard("{Enter}");
    await done;
    await waitFor(() => expect(card.getAttribute("data-state")).toBe("answered"));
    expect(card.querySelector('[aria-pressed="true"]')?.textContent).toBe("No");
    expect(text(card.querySelector(".as-ask__answer"))).toBe("Answered: No");
    expect(text(card.querySelector('[aria-live="polite"]'))).toBe("Answered: No");
    await waitFor(() =>
      expect(text(chat.container)).toContain(
        'Results: confirmLeft → {"left":"No"}; fetchRight → {"side":"right"}.',
      ),
    );
  });

  it("Stop while a question is open: the generator's finally runs, the card says cancelled, the run is interrupted", async () => {
    let finallyRan = false;
    let rightRan = false;
    function Tools() {
      useStreamingCopilotAction({
        name: "confirmLeft",
        description: "Asks before it goes on.",
        parameters: [],
        async *handler() {
          try {
            yield "Ready. ";
            yield ask({ prompt: "Go on?", choices: ["Yes", "No"] });
            return "went on";
          } finally {
            finallyRan = true;
          }
        },
      });
      useStreamingCopilotAction({
        name: "fetchRight",
        description: "Fetches the right half.",
        parameters: [],
        async *handler() {
          rightRan = true;
          yield "right working ";
          return { side: "right" };
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />, "pair");
    const done = chat.send("pair confirmLeft fetchRight");
    const left = () => toolCard(chat.container, "confirmLeft");
    await waitFor(() => expect(left()?.querySelector('.as-ask[role="group"]')).toBeTruthy(), {
      timeout: 10_000,
    });
    chat.stop();
    await waitFor(() => expect(finallyRan).toBe(true));
    await waitFor(() => expect(left()?.getAttribute("data-run-state")).toBe("interrupted"));
    await done;
    const group = left()?.querySelector('.as-ask[role="group"]');
    expect(group?.getAttribute("data-state")).toBe("cancelled");
    expect(group?.querySelectorAll("button:not([disabled])").length ?? 0).toBe(0);
    await sleep(300);
    expect(rightRan).toBe(false);
    expect(text(chat.container)).not.toContain("Results:");
  });
});
