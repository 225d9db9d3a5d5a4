// biome-ignore-all lint/correctness/noComponentHookFactories: test components close over per-test state.
/**
 * The seeds' own client code, in Chromium, against the real server:
 * - seed 004's JavaScript client (`new EventSource(...)` + `addEventListener`), copied from the
 *   seed with only its free names (the URL, `console`, `updateProgressBar`) supplied by the page,
 *   reads `GET /api/agents/seeds/stream` and shows the text, progress and tool events as they come;
 * - seed 000's CopilotKit integration (`useCopilotAction` with an `async function*` handler that
 *   yields `{ type: "stream_chunk", content, metadata }` and renders `<StreamChunk {...chunk} />`)
 *   renders every yield live in the chat.
 */
import { waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { useCopilotAction } from "../../src/copilot/use-copilot-action.js";
import { StreamChunk } from "../../src/seed/index.js";
import { gates, renderChat, serverUrl, toolCard } from "./fixtures/chat.js";

const text = (element: Element | null | undefined) => element?.textContent ?? "";

/** What the page provides to the seed's client: a console and a progress bar that write into the DOM. */
interface SeedPage {
  root: HTMLElement;
  console: Pick<Console, "log" | "error">;
  updateProgressBar(step: number, total: number): void;
  /** When each console line was written (ms since page load). */
  times: { line: string; at: number }[];
}

function seedPage(): SeedPage {
  const root = document.createElement("div");
  root.innerHTML = `<progress id="bar" value="0" max="1"></progress><pre id="console"></pre><ul id="tools"></ul>`;
  document.body.append(root);
  const out = root.querySelector("#console") as HTMLElement;
  const bar = root.querySelector("#bar") as HTMLProgressElement;
  const times: SeedPage["times"] = [];
  const write = (...args: unknown[]) => {
    const line = args.map((a) => (a instanceof Event ? `[${a.type} event]` : String(a))).join(" ");
    times.push({ line, at: performance.now() });
    out.textContent += `${line}\n`;
  };
  return {
    root,
    console: { log: write, error: write },
    updateProgressBar(step, total) {
      bar.max = total;
      bar.value = step;
    },
    times,
  };
}

/**
 * Seed 004's "JavaScript Client", verbatim between the markers. Adapted: it runs inside a function
 * whose parameters supply what the seed leaves free (`command`, `messageId`, `console`,
 * `updateProgressBar`), the URL points at this server's route, and it returns the EventSource.
 */
function seed004Client(
  command: string,
  messageId: string,
  { console, updateProgressBar }: Pick<SeedPage, "console" | "updateProgressBar">,
): EventSource {
  const base = `${serverUrl()}/api/agents/seeds`;
  // ---- seed 004 ----
  const eventSource = new EventSource(
    `${base}/stream?command=${encodeURIComponent(command)}&messageId=${messageId}`,
  );

  eventSource.addEventListener("token", (event) => {
    const data = JSON.parse(event.data);
    console.log("Token:", data.token);
  });

  eventSource.addEventListener("progress", (event) => {
    const data = JSON.parse(event.data);
    updateProgressBar(data.step, data.total);
  });

  eventSource.addEventListener("error", (event) => {
    console.error("Stream error:", event);
    eventSource.close();
  });
  // ---- end of seed 004 ----
  return eventSource;
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

describe("seed 004's EventSource client against GET /api/agents/:agentId/stream", () => {
  it("shows the streamed text, progress and tool events as they arrive", async () => {
    const page = seedPage();
    cleanup.push(() => page.root.remove());
    const source = seed004Client("python", "msg-1", page);
    cleanup.push(() => source.close());
    // The seed's schema names tool events too; the page listens to them next to the seed's code.
    const tools = page.root.querySelector("#tools") as HTMLElement;
    for (const name of ["tool_start", "tool_end"]) {
      source.addEventListener(name, (event) => {
        const { type, data } = JSON.parse((event as MessageEvent).data);
        const li = document.createElement("li");
        li.textContent =
          type === "tool_start"
            ? `${type} ${data.tool_name}(${JSON.stringify(data.tool_input)})`
            : `${type} ${data.tool_name} → ${JSON.stringify(data.tool_output)} (${data.success ? "ok" : "failed"})`;
        tools.append(li);
      });
    }
    const out = page.root.querySelector("#console") as HTMLElement;
    const bar = page.root.querySelector("#bar") as HTMLProgressElement;

    // Live: the first token and the first progress show while the agent is still working.
    await waitFor(() => expect(text(out)).toContain("Token: Python"), { timeout: 10_000 });
    expect(text(out)).not.toContain("Token: is great.");
    expect(bar.max).toBe(3);
    expect(bar.value).toBe(1);

    await waitFor(() => expect(text(out)).toContain("Stream error: [error event]"), { timeout: 10_000 });
    // The seed's client closes on the error that the end of the stream raises.
    expect(source.readyState).toBe(EventSource.CLOSED);
    const lines = text(out).trim().split("\n");
    expect(lines).toEqual(["Token: Python ", "Token: is great.", "Stream error: [error event]"]);
    expect(bar.value).toBe(3);
    expect([...tools.children].map((li) => li.textContent)).toEqual([
      'tool_start navigate_to("https://example.com")',
      'tool_end navigate_to → "<html>" (ok)',
    ]);
    const at = (prefix: string) => page.times.find((t) => t.line.startsWith(prefix))?.at ?? Number.NaN;
    expect(at("Token: is great.") - at("Token: Python")).toBeGreaterThan(150);
  });

  it("a plain EventSource (no close on error) gets the whole run once: its reconnect after the end is answered 204 and it stops", async () => {
    const source = new EventSource(`${serverUrl()}/api/agents/seeds/stream?command=again&messageId=m2`);
    cleanup.push(() => source.close());
    const seen: string[] = [];
    let threadId = "";
    source.addEventListener("thread", (e) => {
      threadId = JSON.parse((e as MessageEvent).data).threadId;
    });
    for (const name of ["token", "progress", "tool_start", "tool_end", "status", "result"])
      source.addEventListener(name, () => seen.push(name));
    await waitFor(() => expect(seen).toContain("result"), { timeout: 10_000 });
    // EventSource reconnects by itself (Last-Event-ID: <thread>:<id>); the server answers 204: CLOSED.
    await waitFor(() => expect(source.readyState).toBe(EventSource.CLOSED), { timeout: 10_000 });
    expect(threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.filter((n) => n === "result")).toHaveLength(1);
    expect(seen.filter((n) => n === "token")).toHaveLength(2);
  });
});

describe("seed 000's generator action in the CopilotKit chat", () => {
  it("yields { type: 'stream_chunk', content, metadata } that render live, and StreamChunk takes the spread chunk", async () => {
    const gate = gates();
    let handlerDone = false;
    /** Stands in for the seed's `new AutomagikAgent().streamProcess(task)`. */
    async function* streamProcess(task: string) {
      for (let i = 1; i <= 3; i++) {
        await gate.wait(i);
        yield { type: "stream_chunk" as const, content: `${task} part ${i}. `, metadata: { part: i } };
      }
    }
    function StreamingAgentInterface() {
      const [streamData, setStreamData] = useState<
        { type: "stream_chunk"; content: string; metadata: { part: number } }[]
      >([]);
      // ---- seed 000, "Streaming with CopilotKit" (parameters added: v2 tools declare them) ----
      useCopilotAction({
        name: "stream_agent_response",
        description: "Stream agent thinking process",
        parameters: [{ name: "task", type: "string", description: "The task" }],
        handler: async function* ({ task }) {
          // Yield chunks as they're generated
          for await (const chunk of streamProcess(task)) {
            yield {
              type: "stream_chunk",
              content: chunk.content,
              metadata: chunk.metadata,
            };

            // Update UI progressively
            setStreamData((prev) => [...prev, chunk]);
          }
          handlerDone = true;
        },
      });

      return (
        <div className="streaming-interface" data-testid="seed-panel">
          {streamData.map((chunk, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the seed's own code keys by index
            <StreamChunk key={i} {...chunk} />
          ))}
        </div>
      );
      // ---- end of seed 000 ----
    }
    const chat = await renderChat(<StreamingAgentInterface />);
    const done = chat.send("call stream_agent_response task: Research");
    const card = () => toolCard(chat.container, "stream_agent_response");
    const panel = () => chat.container.ownerDocument.querySelector('[data-testid="seed-panel"]');
    for (let i = 1; i <= 3; i++) {
      gate.open(i);
      await waitFor(() => expect(text(card())).toContain(`Research part ${i}.`), { timeout: 10_000 });
      expect(text(card())).not.toContain(`Research part ${i + 1}.`);
      await waitFor(() => expect(text(panel())).toContain(`Research part ${i}.`));
      if (i < 3) expect(handlerDone).toBe(false);
    }
    await done;
    expect(handlerDone).toBe(true);
    expect(text(card())).toContain("Research part 1. Research part 2. Research part 3.");
    await waitFor(() => expect(card()?.getAttribute("data-run-state")).toBe("completed"));
    expect(text(panel())).toBe("Research part 1. Research part 2. Research part 3. ");
    expect(chat.messages().some((m) => m.role === "tool")).toBe(true);
  });
});
