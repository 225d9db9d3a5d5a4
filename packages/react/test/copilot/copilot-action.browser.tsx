// biome-ignore-all lint/correctness/noComponentHookFactories: test components close over per-test state.
/**
 * useCopilotAction (the v1-shaped drop-in) with the real CopilotKit client against the real
 * server, in Chromium: plain handlers behave as CopilotKit's own hook, `async function*`
 * handlers stream, and the other v1 forms (render strings, catch-all, human in the loop,
 * availability) map onto the v2 hooks.
 */
import { waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { useCopilotAction } from "../../src/copilot/use-copilot-action.js";
import { renderChat, sleep, toolCard } from "./fixtures/chat.js";

const text = (element: Element | null | undefined) => element?.textContent ?? "";

describe("useCopilotAction", () => {
  it("passes a plain handler through: v1 parameters, result to the agent, no AgentStream card; '*' renders it", async () => {
    const calls: unknown[] = [];
    function Tools() {
      useCopilotAction({
        name: "setTheme",
        description: "Sets the color theme of the page.",
        parameters: [{ name: "color", type: "string", enum: ["dark", "light"], description: "The theme" }],
        handler: async ({ color }) => {
          calls.push(color);
          return `theme is ${color}`;
        },
      });
      useCopilotAction({
        name: "*",
        render: ({ name, status, result }) => (
          <span data-testid="catch-all">
            {name}:{status}
            {result ? `:${String(result)}` : ""}
          </span>
        ),
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    await chat.send("call setTheme dark");
    expect(calls).toEqual(["dark"]);
    await waitFor(() =>
      expect(text(chat.container)).toContain(
        'I ran setTheme with {"color":"dark"} in your app. It returned "theme is dark".',
      ),
    );
    expect(toolCard(chat.container, "setTheme")).toBeNull();
    await waitFor(() =>
      expect(text(chat.container.querySelector('[data-testid="catch-all"]'))).toBe(
        "setTheme:complete:theme is dark",
      ),
    );
  });

  it("a render string or function is shown for a plain handler", async () => {
    function Tools() {
      useCopilotAction({
        name: "saveDraft",
        description: "Saves the draft.",
        parameters: [{ name: "title", type: "string" }],
        handler: async ({ title }) => ({ saved: title }),
        render: ({ status, args, result }) => (
          <em data-testid="draft">
            {status === "complete"
              ? `Saved ${(result as { saved: string }).saved}`
              : `Saving ${args.title ?? ""}`}
          </em>
        ),
      });
      useCopilotAction({
        name: "ping",
        description: "Pings.",
        handler: async () => "pong",
        render: "Pinging…",
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    await chat.send('call saveDraft "Q3 plan"');
    await waitFor(() =>
      expect(text(chat.container.querySelector('[data-testid="draft"]'))).toBe("Saved Q3 plan"),
    );
    await chat.send("call ping");
    await waitFor(() => expect(text(chat.container)).toContain("Pinging…"));
    await waitFor(() =>
      expect(text(chat.container)).toContain('I ran ping in your app. It returned "pong".'),
    );
  });

  it("an async function* handler streams into AgentStream's card", async () => {
    function Tools() {
      useCopilotAction({
        name: "summarizeNotes",
        description: "Summarizes the notes.",
        parameters: [{ name: "count", type: "number", required: false }],
        async *handler() {
          yield { type: "status", status: "thinking" };
          yield { type: "thinking", text: "Reading the notes" };
          for (const word of ["Three ", "notes, ", "one ", "theme."]) {
            await sleep(20);
            yield word;
          }
          return "Three notes, one theme.";
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    await chat.send("call summarizeNotes");
    const card = () => toolCard(chat.container, "summarizeNotes");
    await waitFor(() => expect(card()?.getAttribute("data-run-state")).toBe("completed"));
    expect(text(card())).toContain("Three notes, one theme.");
    await waitFor(() => expect(text(chat.container)).toContain('It returned "Three notes, one theme."'));
  });

  it("renderAndWaitForResponse waits for the user's answer", async () => {
    function Tools() {
      useCopilotAction({
        name: "confirmDelete",
        description: "Asks the user to confirm a deletion.",
        parameters: [{ name: "file", type: "string" }],
        renderAndWaitForResponse: ({ status, args, respond, result }) =>
          status === "complete" ? (
            <p data-testid="answer">Answered: {String(result)}</p>
          ) : (
            <button
              type="button"
              data-testid="confirm"
              disabled={!respond}
              onClick={() => respond?.(`deleted ${args.file}`)}
            >
              Delete {args.file}?
            </button>
          ),
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    const done = chat.send('call confirmDelete "notes.txt"');
    const button = () => chat.container.querySelector<HTMLButtonElement>('[data-testid="confirm"]');
    await waitFor(() => expect(button()?.disabled).toBe(false), { timeout: 10_000 });
    button()?.click();
    await done;
    await waitFor(() => expect(text(chat.container)).toContain('It returned "deleted notes.txt".'));
  });

  it('available: "disabled" hides the tool from the agent', async () => {
    let ran = false;
    function Tools() {
      useCopilotAction({
        name: "launchRocket",
        description: "Launches the rocket.",
        available: "disabled",
        handler: async () => {
          ran = true;
          return "launched";
        },
      });
      return null;
    }
    const chat = await renderChat(<Tools />);
    await chat.send("call launchRocket");
    expect(ran).toBe(false);
    // The agent was not offered the tool, so it answered another way (the research agent).
    const called = chat
      .messages()
      .flatMap((m) =>
        ((m as { toolCalls?: { function: { name: string } }[] }).toolCalls ?? []).map((c) => c.function.name),
      );
    expect(called).not.toContain("launchRocket");
  });
});
