/**
 * useAgentRun and the activity renderers with the real CopilotKit client against the real
 * server, in Chromium: the `reporter` test agent streams status and progress (ACTIVITY events)
 * and text; the chat renders the progress bar and status badge through
 * `agentStreamActivityRenderers`, and a panel outside the chat follows the run with useAgentRun.
 */
import { waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StreamView } from "../../src/components/stream-view.js";
import { useAgentRun } from "../../src/copilot/use-agent-run.js";
import { counters, renderChat } from "./fixtures/chat.js";
import { expectConsoleErrors } from "./fixtures/expected-console.js";

const text = (element: Element | null | undefined) => element?.textContent ?? "";

let panel: ReturnType<typeof useAgentRun> | undefined;
function AgentPanel() {
  const agentRun = useAgentRun("reporter");
  panel = agentRun;
  const { run, store, running } = agentRun;
  return (
    <section data-testid="panel" data-status={run.status} data-running={String(running)}>
      <p data-testid="panel-progress">
        {run.progress ? `${run.progress.label} ${run.progress.current}/${run.progress.total}` : ""}
      </p>
      <StreamView store={store} stickToBottom={false} />
    </section>
  );
}

describe("useAgentRun and the activity renderers", () => {
  it("shows server progress and status in the chat and the live run in any component", async () => {
    const chat = await renderChat(<AgentPanel />, "reporter");
    const root = chat.container;
    const panelEl = () => root.querySelector('[data-testid="panel"]');
    const chatProgress = () => root.querySelector('[data-activity="agentstream.progress"]');
    const chatStatus = () => root.querySelector('[data-activity="agentstream.status"]');
    const statuses = new Set<string>();
    const observer = new MutationObserver(() => {
      const state = chatStatus()?.querySelector(".as-status")?.getAttribute("data-state");
      if (state) statuses.add(state);
    });
    observer.observe(root, { subtree: true, childList: true, attributes: true });

    const done = chat.send("please report, slow");

    // Mid-run: the chat shows the progress bar (one row, updated in place) and the status badge.
    await waitFor(
      () =>
        expect(chatProgress()?.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow")).toBe(
          "1",
        ),
      {
        timeout: 10_000,
      },
    );
    expect(text(chatProgress())).toContain("Analyze");
    expect(text(chatProgress())).toContain("Working on analyze");
    expect(chatStatus()?.querySelector(".as-status")?.getAttribute("data-state")).toBe("acting");
    expect(root.querySelectorAll('[data-activity="agentstream.progress"]')).toHaveLength(1);
    // ... and the panel, outside the chat, has the same run (it re-renders on the next frame).
    await waitFor(() =>
      expect(text(root.querySelector('[data-testid="panel-progress"]'))).toBe("Analyze 1/3"),
    );
    expect(panel?.running).toBe(true);
    expect(text(panelEl())).toContain("Collect done.");

    await done;
    observer.disconnect();
    await waitFor(() => expect(panelEl()?.getAttribute("data-status")).toBe("completed"));
    // The final status snapshot comes just before RUN_FINISHED: `running` turns false with the latter.
    await waitFor(() => expect(panel?.running).toBe(false));
    expect(panel?.run.text).toBe("Collect done. Analyze done. Report done. ");
    expect(panel?.run.result?.output).toEqual({ steps: 3 });
    expect(chatProgress()?.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow")).toBe("3");
    expect(chatProgress()?.querySelectorAll('.as-step[data-state="done"]').length).toBe(3);
    expect(chatStatus()?.querySelector(".as-status")?.getAttribute("data-state")).toBe("completed");
    expect(statuses.has("thinking") || statuses.has("acting")).toBe(true);
    expect(text(root)).toContain("Report done.");
  });

  it("a new run starts from a fresh state", async () => {
    const chat = await renderChat(<AgentPanel />, "reporter");
    await chat.send("first");
    await waitFor(() => expect(panel?.run.status).toBe("completed"));
    const firstRun = panel?.run;
    // Every state the store goes through (synchronously, not sampled by renders): the second
    // run must begin empty, whatever the machine's speed.
    const store = panel?.store;
    const texts: string[] = [];
    const unsubscribe = store?.subscribe(() => texts.push(store.getSnapshot().text));
    const second = chat.send("second");
    await waitFor(() => expect(panel?.run).not.toBe(firstRun));
    await second;
    unsubscribe?.();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.some((t) => t.length < (firstRun?.text.length ?? 0))).toBe(true);
    expect(
      texts.some((t) => t.startsWith(firstRun?.text ?? "") && t.length > (firstRun?.text.length ?? 0)),
    ).toBe(false);
    await waitFor(() => expect(panel?.run.status).toBe("completed"));
    expect(panel?.run.text).toBe("Collect done. Analyze done. Report done. ");
  });

  it("stop() stops the agent on the server and marks the run interrupted", async () => {
    const chat = await renderChat(<AgentPanel />, "reporter");
    const before = (await counters()).reporter ?? 0;
    const done = chat.send("slow please");
    await waitFor(() => expect(panel?.run.text).toContain("Collect done."), { timeout: 10_000 });
    panel?.stop();
    await waitFor(async () => expect((await counters()).reporter).toBe(before + 1), { timeout: 5_000 });
    await done.catch(() => undefined);
    await waitFor(() => expect(panel?.run.status).toBe("interrupted"));
    await waitFor(() => expect(panel?.running).toBe(false));
    expect(panel?.run.text).not.toContain("Report done.");
    await waitFor(async () => expect((await counters()).activeStreams).toBe(0));
    // The chat's status row says so too (the server's last status snapshot), not "Acting".
    const row = chat.container.querySelector('[data-activity="agentstream.status"]');
    await waitFor(() =>
      expect(row?.querySelector(".as-status")?.getAttribute("data-state")).toBe("interrupted"),
    );
    expect(row?.hasAttribute("data-final")).toBe(true);
    expect(text(row?.querySelector(".as-status__label"))).toBe("Interrupted");
  });

  it("a run that fails leaves the chat's status row on Error, and the panel in error", async () => {
    expectConsoleErrors(/agent_run_error_event|the reporter broke/); // CopilotKit logs the run error the test provokes
    const chat = await renderChat(<AgentPanel />, "reporter");
    await chat.send("please fail").catch(() => undefined);
    await waitFor(() => expect(panel?.run.status).toBe("error"));
    expect(panel?.status).toBe("error");
    expect(panel?.error?.message).toContain("the reporter broke");
    const rows = chat.container.querySelectorAll('[data-activity="agentstream.status"]');
    expect(rows).toHaveLength(1);
    await waitFor(() =>
      expect(rows[0]?.querySelector(".as-status")?.getAttribute("data-state")).toBe("error"),
    );
    expect(text(rows[0]?.querySelector(".as-status__label"))).toBe("Error");
  });
});
