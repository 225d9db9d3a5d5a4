import { CHUNK_TYPES, type StreamChunk as Chunk, type ChunkType } from "@agentstream/core";
import { render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ChunkComponents, DEFAULT_CHUNK_COMPONENTS, StreamChunk } from "../src/index.js";
import { StreamChunk as SeedStreamChunk } from "../src/seed/index.js";
import { chunker } from "./chunks.js";

const c = chunker();
const samples: Record<ChunkType, Chunk> = {
  token: c({ type: "token", text: "Hello" }),
  thinking: c({ type: "thinking", text: "Pondering" }),
  status: c({ type: "status", status: "acting", iteration: 2 }),
  progress: c({ type: "progress", step: "Downloading", current: 2, total: 5, message: "file 2" }),
  tool_call: c({ type: "tool_call", id: "t1", name: "search", args: { q: "cats" } }),
  tool_result: c({ type: "tool_result", id: "t1", name: "search", result: ["a", "b"], success: true }),
  result: c({ type: "result", output: "The answer", success: true, duration: 2_000 }),
  error: c({ type: "error", message: "Rate limited", code: "429", recoverable: true }),
  interrupted: c({ type: "interrupted", reason: "user", partial: "Hel" }),
  ask: c({
    type: "ask",
    id: "q",
    prompt: "Publish?",
    choices: [{ label: "Publish", value: "Publish" }],
    state: "open",
  }),
};

// Compile-time exhaustiveness: a renderer map missing a chunk type does not type-check.
// @ts-expect-error "interrupted" is missing
const _incomplete: ChunkComponents = {
  token: DEFAULT_CHUNK_COMPONENTS.token,
  thinking: DEFAULT_CHUNK_COMPONENTS.thinking,
  status: DEFAULT_CHUNK_COMPONENTS.status,
  progress: DEFAULT_CHUNK_COMPONENTS.progress,
  tool_call: DEFAULT_CHUNK_COMPONENTS.tool_call,
  tool_result: DEFAULT_CHUNK_COMPONENTS.tool_result,
  result: DEFAULT_CHUNK_COMPONENTS.result,
  error: DEFAULT_CHUNK_COMPONENTS.error,
};

describe("StreamChunk", () => {
  it("has a renderer for each of the ten chunk types", () => {
    expect(CHUNK_TYPES).toHaveLength(10);
    expect(Object.keys(DEFAULT_CHUNK_COMPONENTS).sort()).toEqual([...CHUNK_TYPES].sort());
  });

  it("renders all ten types, each distinctly", () => {
    const { container } = render(
      <div>
        {CHUNK_TYPES.map((type) => (
          <StreamChunk key={type} chunk={samples[type]} />
        ))}
      </div>,
    );
    const wrappers = [...container.querySelectorAll(".as-chunk")];
    expect(wrappers.map((w) => w.getAttribute("data-type"))).toEqual([...CHUNK_TYPES]);
    // Each type renders its own structure (no two alike).
    const signatures = wrappers.map((w) => (w.firstElementChild as HTMLElement).className);
    expect(new Set(signatures).size).toBe(10);
  });

  it("renders each type readably with its ARIA", () => {
    const get = (type: ChunkType) => {
      const { container } = render(<StreamChunk chunk={samples[type]} />);
      return container.firstElementChild as HTMLElement;
    };
    expect(get("token").textContent).toBe("Hello");
    expect(get("thinking").textContent).toContain("Pondering");
    const status = get("status");
    expect(status.querySelector(".as-status")?.getAttribute("data-state")).toBe("acting");
    expect(status.textContent).toContain("iteration 2");
    expect(get("progress").textContent).toContain("file 2");
    const progress = screen.getByRole("progressbar", { name: "Downloading" });
    expect(progress.getAttribute("aria-valuenow")).toBe("2");
    expect(progress.getAttribute("aria-valuetext")).toBe("2 of 5");
    expect(get("tool_call").querySelector('[role="article"], article')?.textContent).toContain('"q": "cats"');
    expect(get("tool_result").textContent).toContain('"a"');
    expect(screen.getByRole("group", { name: "search result" }).textContent).toContain('"b"');
    expect(get("result").textContent).toContain("The answer");
    expect(get("error").querySelector('[role="alert"]')?.textContent).toContain("Rate limited");
    expect(get("interrupted").querySelector('[role="note"]')?.textContent).toContain("Interrupted");
  });

  it("carries data-seq and data-agent and forwards ref/className", () => {
    const ref = { current: null as HTMLDivElement | null };
    render(<StreamChunk ref={ref} chunk={{ ...samples.token, agent: "alpha" }} className="k" />);
    expect(ref.current?.getAttribute("data-seq")).toBe(String(samples.token.seq));
    expect(ref.current?.getAttribute("data-agent")).toBe("alpha");
    expect(ref.current?.className).toBe("as-chunk k");
  });

  it("uses per-type overrides from `components`", () => {
    const components: Partial<ChunkComponents> = {
      token: ({ chunk }) => <mark>{chunk.text.toUpperCase()}</mark>,
    };
    const { container } = render(
      <>
        <StreamChunk chunk={samples.token} components={components} />
        <StreamChunk chunk={samples.error} components={components} />
      </>,
    );
    expect(container.querySelector("mark")?.textContent).toBe("HELLO");
    expect(screen.getByRole("alert")).toBeTruthy();
  });

  it("renders an indeterminate bar for progress without a total", () => {
    render(<StreamChunk chunk={c({ type: "progress", step: "Crawling", current: 12 })} />);
    expect(screen.getByRole("progressbar", { name: "Crawling" }).getAttribute("data-state")).toBe(
      "indeterminate",
    );
  });
});

describe("StreamChunk: canonical in the main entry, seed spellings in /seed", () => {
  afterEach(() => vi.restoreAllMocks());

  it("renders a canonical chunk given without seq and timestamp, spread or as `chunk`", () => {
    const { container } = render(
      <>
        <StreamChunk type="token" text="spread" />
        <StreamChunk chunk={{ type: "tool_call", id: "c1", name: "search", args: { q: "x" } } as never} />
      </>,
    );
    const [token, call] = Array.from(container.querySelectorAll(".as-chunk"));
    expect(token?.textContent).toBe("spread");
    expect(token?.getAttribute("data-seq")).toBe("0");
    expect(call?.getAttribute("data-type")).toBe("tool_call");
    expect(call?.textContent).toContain("search");
  });

  it("refuses a seed spelling with the fallback and a warning that names @agentstream/react/seed", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const seed = { type: "stream_chunk", content: "from the seed 000 action", seq: 3 };
    const { container } = render(<StreamChunk {...seed} />);
    const fallback = container.querySelector(".as-chunk");
    expect(fallback?.hasAttribute("data-invalid")).toBe(true);
    expect(fallback?.getAttribute("data-type")).toBe("stream_chunk");
    expect(fallback?.textContent).toContain("from the seed 000 action");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/must be one of token.*@agentstream\/react\/seed/s);
  });

  it("in a production build: no strict validator up front, the reason of a refused chunk is loaded on demand", async () => {
    const env = process.env.NODE_ENV;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    process.env.NODE_ENV = "production";
    try {
      const { container } = render(
        <>
          <StreamChunk chunk={{ type: "progress", step: "Fetching", current: 2, total: 4 } as never} />
          <StreamChunk type="progress" step="Fetching" current={-1} />
        </>,
      );
      const [good, bad] = Array.from(container.querySelectorAll(".as-chunk"));
      expect(good?.hasAttribute("data-invalid")).toBe(false);
      expect(good?.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow")).toBe("2");
      expect(bad?.hasAttribute("data-invalid")).toBe(true);
      expect(bad?.getAttribute("data-type")).toBe("progress");
      expect(bad?.getAttribute("title")).toBe("not a canonical chunk");
      await waitFor(() =>
        expect(bad?.getAttribute("title")).toBe(
          "chunk 0 (progress): `current` must be >= 0, got the number -1",
        ),
      );
      expect(warn).not.toHaveBeenCalled();
    } finally {
      process.env.NODE_ENV = env;
      warn.mockRestore();
    }
  });

  it("the /seed StreamChunk renders the same seed chunk as canonical text, with the same wrapper", () => {
    const seed = { type: "stream_chunk", content: "from the seed 000 action", seq: 3 };
    const { container } = render(<SeedStreamChunk {...seed} />);
    const chunk = container.querySelector(".as-chunk");
    expect(chunk?.hasAttribute("data-invalid")).toBe(false);
    expect(chunk?.getAttribute("data-type")).toBe("token");
    expect(chunk?.getAttribute("data-seq")).toBe("3");
    expect(chunk?.querySelector(".as-chunk__text")?.textContent).toBe("from the seed 000 action");
  });
});
