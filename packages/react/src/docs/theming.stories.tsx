import type { Meta, StoryObj } from "@storybook/react-vite";
import type { CSSProperties, ReactNode } from "react";
import { expect, within } from "storybook/test";
import { AgentStatus } from "../components/agent-status.js";
import { ProgressBar } from "../components/progress-bar.js";
import { StopButton } from "../components/stop-button.js";
import { StreamView } from "../components/stream-view.js";
import { ANSWER, runOf, tokens } from "./fixtures.js";

function sampleRun(tool: string) {
  return runOf([
    { type: "status", status: "acting", iteration: 1 },
    { type: "progress", step: "Reading sources", current: 2, total: 3 },
    { type: "tool_call", id: "t-1", name: tool, args: { query: "sse vs websockets" } },
    { type: "tool_result", id: "t-1", name: tool, success: true, result: { hits: 2 } },
    ...tokens(ANSWER.split("\n\n")[0] as string),
  ]);
}

/** A small sample of the kit, to see a theme at a glance. */
function Sample({
  style,
  theme,
  tool = "web_search",
}: {
  style?: CSSProperties;
  theme?: "light" | "dark";
  tool?: string;
}) {
  const run = sampleRun(tool);
  return (
    <div
      data-theme={theme}
      style={{
        display: "grid",
        gap: "0.75rem",
        maxWidth: 640,
        padding: theme ? "1rem" : undefined,
        background: theme ? "var(--as-color-bg)" : undefined,
        color: theme ? "var(--as-color-fg)" : undefined,
        ...style,
      }}
    >
      <div style={{ display: "flex", gap: "0.75rem", alignItems: "center" }}>
        <AgentStatus status={run.status} iteration={run.iteration} announce={false} />
        <StopButton running onStop={() => {}} />
      </div>
      <ProgressBar value={2} max={3} label="Reading sources" />
      <StreamView run={run} />
    </div>
  );
}

function Frame({ children }: { children: ReactNode }) {
  return <div style={{ display: "grid", gap: "1rem" }}>{children}</div>;
}

const meta = {
  title: "Theming/Examples",
  component: Sample,
  tags: ["!autodocs"],
} satisfies Meta<typeof Sample>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The defaults, following the toolbar's theme. */
export const Default: Story = {};

/** A brand accent for each theme (a single hue rarely has enough contrast on both backgrounds). */
const BRAND_ACCENT = { light: "#6d28d9", dark: "#a78bfa" } as const;

/**
 * Brand colors and shape: override custom properties on any container. Derived properties (the
 * progress fill, the caret) follow the container's accent.
 */
export const CustomBrand: Story = {
  args: {
    style: {
      "--as-radius": "1rem",
      "--as-radius-sm": "999px",
      "--as-progress-height": "0.75rem",
      "--as-font-family": "Georgia, 'Times New Roman', serif",
    } as CSSProperties,
  },
  render: ({ style, ...args }, { globals }) => {
    const accent = BRAND_ACCENT[globals.theme === "dark" ? "dark" : "light"];
    return (
      <Sample
        {...args}
        style={{ ...style, "--as-color-accent": accent, "--as-color-focus": accent } as CSSProperties}
      />
    );
  },
  play: async ({ canvasElement, globals }) => {
    const accent = globals.theme === "dark" ? "rgb(167, 139, 250)" : "rgb(109, 40, 217)";
    const [bar] = within(canvasElement).getAllByRole("progressbar");
    // The container's accent reaches derived properties too (the progress fill).
    const fill = (bar as HTMLElement).querySelector(".as-progress__indicator") as HTMLElement;
    await expect(getComputedStyle(fill).backgroundColor).toBe(accent);
  },
};

/** A dense layout: smaller type and spacing. */
export const Compact: Story = {
  args: {
    style: {
      "--as-font-size": "0.8125rem",
      "--as-font-size-sm": "0.75rem",
      "--as-space": "0.3125rem",
      "--as-segment-gap": "0.5rem",
    } as CSSProperties,
  },
};

/** `data-theme` forces a theme on a subtree, whatever the page's theme. */
export const ForcedThemes: Story = {
  render: () => (
    <Frame>
      <Sample theme="light" tool="web_search" />
      <Sample theme="dark" tool="fetch_page" />
    </Frame>
  ),
  play: async ({ canvasElement }) => {
    const [light, dark] = canvasElement.querySelectorAll<HTMLElement>("[data-theme]:not(.sb-as-theme)");
    await expect(getComputedStyle(light as HTMLElement).backgroundColor).toBe("rgb(255, 255, 255)");
    await expect(getComputedStyle(dark as HTMLElement).backgroundColor).toBe("rgb(13, 17, 23)");
    // Each subtree's progress fill uses its own theme's accent.
    const fill = (root: Element | undefined) =>
      getComputedStyle(root?.querySelector(".as-progress__indicator") as HTMLElement).backgroundColor;
    await expect(fill(light)).toBe("rgb(9, 105, 218)");
    await expect(fill(dark)).toBe("rgb(68, 147, 248)");
  },
};
