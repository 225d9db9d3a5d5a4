import type { Meta, StoryObj } from "@storybook/react-vite";
import { useCallback, useEffect, useRef, useState } from "react";
import { expect, userEvent, waitFor, within } from "storybook/test";
import { StopButton } from "../components/stop-button.js";
// The provider-free parts of @agentstream/react/copilot (the subpath index also pulls in CopilotKit).
import {
  INTERRUPTED_RESULT,
  runToolHandler,
  type StreamingActionContext,
} from "../copilot/run-tool-handler.js";
import { type CopilotToolStatus, ToolRunCard } from "../copilot/tool-run-card.js";
import { createToolCallRuns } from "../copilot/tool-runs.js";
import { useRun } from "../hooks/use-run.js";
import { sleep } from "./fixtures.js";

/** The story's tool-call runs (in the app, AgentStreamProvider owns them). */
const runs = createToolCallRuns();

interface AnalyzeArgs {
  files: string[];
}

interface HandlerOptions {
  delay: number;
  failOn: string;
  onLifecycle: (event: string) => void;
}

/**
 * The action's handler, as an app would write it for `useStreamingCopilotAction`: an
 * `async function*` whose yields (progress, thinking, text) stream into the chat and whose
 * `return` value is the tool result the agent receives.
 */
function makeAnalyzeFiles({ delay, failOn, onLifecycle }: HandlerOptions) {
  return async function* analyzeFiles({ files }: AnalyzeArgs, { signal }: StreamingActionContext) {
    onLifecycle("handler started");
    try {
      yield {
        type: "thinking",
        text: `Checking ${files.length} files for schema drift and bad rows.`,
      } as const;
      let issues = 0;
      for (const [index, file] of files.entries()) {
        yield { type: "progress", step: `Analyzing ${file}`, current: index, total: files.length } as const;
        await sleep(delay, signal);
        if (file === failOn) throw new Error(`Cannot read ${file}: permission denied`);
        const found = (file.length * 7) % 4;
        issues += found;
        yield `${file}: ${1_000 + file.length * 113} rows, ${found === 0 ? "no issues" : `${found} issue${found > 1 ? "s" : ""}`}\n`;
      }
      yield {
        type: "progress",
        step: "All files analyzed",
        current: files.length,
        total: files.length,
      } as const;
      return { analyzed: files.length, issues };
    } finally {
      onLifecycle("generator closed (finally ran)");
    }
  };
}

/** What CopilotKit's render of a frontend tool receives, and the default render of a streaming action. */
function ActionRender(props: {
  name: string;
  toolCallId: string;
  status: CopilotToolStatus;
  args: Record<string, unknown>;
  result: unknown;
}) {
  // As the kit's render does: the live run comes from the store keyed by the tool call's id.
  const store = runs.get(props.toolCallId);
  const run = useRun(store);
  return (
    <ToolRunCard
      {...props}
      run={run}
      store={store}
      running={!run.done && runs.isRunning(props.toolCallId)}
      onStop={() => runs.stop(props.toolCallId)}
    />
  );
}

interface Turn {
  toolCallId: string;
  status: CopilotToolStatus;
  args: Partial<AnalyzeArgs>;
  result: unknown;
  /** What the agent receives as the tool result (CopilotKit stringifies non-strings). */
  agentResult?: string;
}

let calls = 0;

interface CopilotActionProps {
  /** The files the agent asks to analyze (the tool call's arguments). */
  files: string[];
  /** Time the handler spends per file, in ms. */
  delay: number;
  /** The handler throws on this file ("" for none). */
  failOn: string;
}

/**
 * A generator-based copilot action as it renders in the chat, without a CopilotKit provider:
 * the tool call's arguments stream in (`inProgress`), the kit runs the `async function*` with
 * `runToolHandler` into the call's run store (`executing`), and the default render
 * (`ToolRunCard`) follows that store live until the result (`complete`). "Stop action" stops
 * this call alone; "Stop chat" stands for CopilotKit's stop (both close the generator).
 */
function CopilotActionInChat({ files, delay, failOn }: CopilotActionProps) {
  const [turn, setTurn] = useState<Turn | null>(null);
  const [lifecycle, setLifecycle] = useState<string[]>([]);
  const chatRef = useRef<AbortController | null>(null);

  useEffect(() => () => chatRef.current?.abort(), []);

  const ask = useCallback(async () => {
    chatRef.current?.abort();
    const chat = new AbortController();
    chatRef.current = chat;
    const toolCallId = `call_analyzeFiles_${++calls}`;
    const update = (patch: Partial<Turn>) =>
      setTurn((current) =>
        current && current.toolCallId === toolCallId ? { ...current, ...patch } : current,
      );
    setLifecycle([]);
    setTurn({ toolCallId, status: "inProgress", args: {}, result: undefined });

    // TOOL_CALL_ARGS: the arguments stream in; the render shows them partially.
    for (let count = 1; count <= files.length && !chat.signal.aborted; count++) {
      await sleep(90, chat.signal);
      update({ args: { files: files.slice(0, count) } });
    }
    update({ status: "executing", args: { files } });

    const handler = makeAnalyzeFiles({
      delay,
      failOn,
      onLifecycle: (event) => setLifecycle((events) => [...events, event]),
    });
    const { signal, release } = runs.link(toolCallId, chat.signal);
    let result: unknown;
    try {
      result = await runToolHandler(handler, { files }, { signal, toolCallId, store: runs.get(toolCallId) });
    } catch (error) {
      // CopilotKit reports a thrown handler to the agent as "Error: <message>".
      result = `Error: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      release();
    }
    update({
      status: "complete",
      result,
      agentResult: typeof result === "string" ? result : JSON.stringify(result),
    });
    if (chatRef.current === chat) chatRef.current = null;
  }, [files, delay, failOn]);

  const running = turn !== null && turn.status !== "complete";

  return (
    <div className="sb-as-chat">
      <div style={{ display: "flex", gap: "0.75rem", alignItems: "center" }}>
        <button type="button" className="sb-as-button" onClick={ask} disabled={running}>
          Ask the copilot
        </button>
        <StopButton running={running} onStop={() => chatRef.current?.abort()} label="Stop chat" />
      </div>
      {turn ? (
        <>
          <div className="sb-as-message" data-role="user">
            Check my uploads for bad rows.
          </div>
          <section className="sb-as-message" data-role="assistant" aria-label="Assistant message">
            <span className="sb-as-message__author">Copilot</span>
            <ActionRender
              name="analyzeFiles"
              toolCallId={turn.toolCallId}
              status={turn.status}
              args={turn.args as Record<string, unknown>}
              result={turn.result}
            />
            {turn.agentResult !== undefined ? (
              <div>
                <div className="sb-as-message__author">Tool result sent to the agent</div>
                <pre className="sb-as-agent-result" style={{ margin: 0, whiteSpace: "pre-wrap" }}>
                  <code>{turn.agentResult}</code>
                </pre>
              </div>
            ) : null}
          </section>
          {lifecycle.length > 0 ? (
            <ul aria-label="Handler lifecycle" className="sb-as-lifecycle">
              {lifecycle.map((event, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: an append-only log.
                <li key={index}>{event}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

const FILES = ["orders.csv", "customers.csv", "refunds.csv", "inventory.csv"];

const meta = {
  title: "Live/Copilot action",
  component: CopilotActionInChat,
  args: { files: FILES, delay: 500, failOn: "" },
  argTypes: {
    files: { control: "object" },
    delay: { control: { type: "range", min: 50, max: 3_000, step: 50 } },
    failOn: { control: "select", options: ["", ...FILES] },
  },
} satisfies Meta<typeof CopilotActionInChat>;

export default meta;
type Story = StoryObj<typeof meta>;

function card(canvasElement: HTMLElement): HTMLElement {
  return within(canvasElement).getByRole("article", { name: /analyzeFiles/ });
}

/** Press "Ask the copilot"; stop the action or the whole chat at any time. */
export const InChat: Story = {};

/** The action runs to the end: progress and output stream in the card, the return value is the result. */
export const RunsToCompletion: Story = {
  args: { delay: 150 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Ask the copilot" }));
    await waitFor(() => expect(card(canvasElement)).toHaveAttribute("data-run-state", "started"), {
      timeout: 5_000,
    });
    await waitFor(() => expect(canvas.getByRole("progressbar")).toHaveAttribute("aria-valuenow"), {
      timeout: 5_000,
    });
    await waitFor(() => expect(card(canvasElement)).toHaveAttribute("data-run-state", "completed"), {
      timeout: 10_000,
    });
    await expect(card(canvasElement)).toHaveAttribute("data-state", "complete");
    await expect(canvas.getByRole("group", { name: "analyzeFiles result" })).toHaveTextContent(
      '"analyzed": 4',
    );
    await expect(canvasElement.querySelector(".sb-as-agent-result")).toHaveTextContent(
      '{"analyzed":4,"issues":',
    );
  },
};

/** "Stop action" mid-run: the generator is closed, the card shows the interruption, the agent is told. */
export const StoppedMidway: Story = {
  args: { delay: 700 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Ask the copilot" }));
    const stop = await canvas.findByRole("button", { name: "Stop action" }, { timeout: 5_000 });
    await userEvent.click(stop);
    await waitFor(() => expect(card(canvasElement)).toHaveAttribute("data-run-state", "interrupted"));
    await expect(within(card(canvasElement)).getByRole("note")).toHaveTextContent("Interrupted");
    await waitFor(() =>
      expect(canvasElement.querySelector(".sb-as-agent-result")).toHaveTextContent(INTERRUPTED_RESULT),
    );
    await expect(canvas.getByRole("list", { name: "Handler lifecycle" })).toHaveTextContent(
      "generator closed (finally ran)",
    );
  },
};

/** The handler throws on the third file: the card shows the error, the agent gets "Error: …". */
export const HandlerFails: Story = {
  args: { delay: 120, failOn: "refunds.csv" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Ask the copilot" }));
    await waitFor(() => expect(card(canvasElement)).toHaveAttribute("data-run-state", "error"), {
      timeout: 10_000,
    });
    await expect(card(canvasElement)).toHaveAttribute("data-state", "failed");
    await expect(within(card(canvasElement)).getByRole("alert")).toHaveTextContent("permission denied");
    await expect(canvasElement.querySelector(".sb-as-agent-result")).toHaveTextContent(
      "Error: Cannot read refunds.csv: permission denied",
    );
  },
};
