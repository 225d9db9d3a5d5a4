// @vitest-environment node
/**
 * Server rendering of the copilot pieces that do not need CopilotKit at render time, and the
 * contract between core's encoder (what the server streams as ACTIVITY_SNAPSHOT) and the
 * activity renderers' schemas.
 */
import {
  type AgUiEvent,
  ASK_ACTIVITY,
  ChunkEncoder,
  createRunStore,
  PROGRESS_ACTIVITY,
  STATUS_ACTIVITY,
  toChunk,
} from "@agentstream/core";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import {
  agentStreamActivityRenderers,
  ProgressActivityView,
  progressActivitySchema,
  StatusActivityView,
  statusActivitySchema,
} from "../../src/copilot/activity-renderers.js";
import { ToolRunCard } from "../../src/copilot/tool-run-card.js";
import { useAgentStream } from "../../src/sse/index.js";

function activityContents(type: string, chunks: Parameters<typeof toChunk>[0][]): unknown[] {
  const encoder = new ChunkEncoder({ threadId: "t", runId: "r" });
  const events: AgUiEvent[] = [encoder.start()].flat();
  chunks.forEach((chunk, i) => {
    events.push(...encoder.encode(toChunk(chunk, i)));
  });
  return events
    .filter((e) => e.type === "ACTIVITY_SNAPSHOT" && (e as { activityType?: string }).activityType === type)
    .map((e) => (e as { content?: unknown }).content);
}

describe("activity renderers", () => {
  it("their schemas accept what core's encoder streams", () => {
    const progress = activityContents(PROGRESS_ACTIVITY, [
      { type: "progress", step: "Collect", current: 0, total: 3, message: "Working" },
      { type: "progress", step: "Analyze", current: 1, total: 3 },
    ]);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const content of progress) expect(progressActivitySchema.safeParse(content).success).toBe(true);
    const last = progressActivitySchema.parse(progress[progress.length - 1]);
    expect(last).toMatchObject({ step: "Analyze", current: 1, total: 3 });
    expect(last.steps?.map((s) => s.label)).toEqual(["Collect", "Analyze"]);

    const status = activityContents(STATUS_ACTIVITY, [{ type: "status", status: "thinking", iteration: 2 }]);
    expect(status).toHaveLength(1);
    expect(statusActivitySchema.parse(status[0])).toMatchObject({ status: "thinking", iteration: 2 });
  });

  it("the status schema accepts how a run ended, and the badge says it", () => {
    for (const [end, expected] of [
      [{ type: "interrupted", reason: "stopped by user" }, "interrupted"],
      [{ type: "error", message: "boom" }, "error"],
      [{ type: "result", output: "ok" }, "completed"],
    ] as const) {
      const rows = activityContents(STATUS_ACTIVITY, [{ type: "status", status: "observing" }, end]);
      expect(rows).toHaveLength(2);
      const final = statusActivitySchema.parse(rows[1]);
      expect(final).toMatchObject({ status: expected, final: true });
      const html = renderToString(<StatusActivityView content={final} />);
      expect(html).toContain(`data-state="${expected}"`);
      expect(html).toContain("data-final");
      expect(html).toContain(
        expected === "error" ? "Error" : expected === "completed" ? "Completed" : "Interrupted",
      );
    }
  });

  it("reject malformed content (which then renders nothing)", () => {
    expect(progressActivitySchema.safeParse({ step: 1 }).success).toBe(false);
    expect(statusActivitySchema.safeParse({ status: "sleeping" }).success).toBe(false);
  });

  it("is a stable module-level list for the three activity types", () => {
    expect(agentStreamActivityRenderers.map((r) => r.activityType)).toEqual([
      PROGRESS_ACTIVITY,
      STATUS_ACTIVITY,
      ASK_ACTIVITY,
    ]);
  });

  it("render on the server", () => {
    const html = renderToString(
      <>
        <ProgressActivityView
          content={{
            step: "Analyze",
            current: 1,
            total: 3,
            message: "Working on analyze",
            steps: [
              { label: "Collect", state: "done" },
              { label: "Analyze", state: "active" },
            ],
          }}
        />
        <StatusActivityView content={{ status: "acting", iteration: 1, agent: "research" }} />
      </>,
    );
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="1"');
    expect(html).toContain("Working on analyze");
    expect(html).toContain('data-state="acting"');
    expect(html).toContain("research");
  });
});

function Page() {
  const { status, run } = useAgentStream({ agentId: "research" });
  return <p>{`${status}:${run.text}`}</p>;
}

describe("server rendering", () => {
  it("ToolRunCard renders a live run and a run from history", () => {
    const store = createRunStore();
    store.push(toChunk({ type: "status", status: "started" }, 0));
    store.push(toChunk({ type: "progress", step: "Fetch", current: 1, total: 2 }, 1));
    store.push(toChunk("Fetched one page", 2));
    const live = renderToString(
      <ToolRunCard
        name="crawl"
        toolCallId="c1"
        status="executing"
        args={{ url: "x" }}
        result={undefined}
        run={store.getSnapshot()}
        store={store}
      />,
    );
    expect(live).toContain("crawl");
    expect(live).toContain("Fetched one page");
    expect(live).toContain('aria-valuenow="1"');
    const empty = createRunStore();
    const history = renderToString(
      <ToolRunCard
        name="crawl"
        toolCallId="c2"
        status="complete"
        args={{}}
        result={{ pages: 2 }}
        run={empty.getSnapshot()}
        store={empty}
      />,
    );
    expect(history).toContain("pages");
  });

  it("useAgentStream renders idle on the server and sends nothing", () => {
    expect(renderToString(<Page />)).toContain("idle:");
  });
});
