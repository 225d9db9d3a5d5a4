import { createRunStore } from "@agentstream/core";
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StreamView } from "../src/index.js";
import {
  healMarkdown,
  renderMarkdown,
  StreamMarkdown,
  safeUrlTransform,
  splitBlocks,
} from "../src/markdown/index.js";
import { chunker } from "./chunks.js";

describe("StreamMarkdown", () => {
  it("renders an unclosed ** as bold while streaming (no flicker of raw markers)", () => {
    const { container, rerender } = render(<StreamMarkdown text="Hello **wor" streaming />);
    expect(container.querySelector("strong")?.textContent).toBe("wor");
    expect(container.textContent).not.toContain("**");
    rerender(<StreamMarkdown text="Hello **world" streaming />);
    expect(container.querySelector("strong")?.textContent).toBe("world");
    rerender(<StreamMarkdown text="Hello **world**" streaming />);
    expect(container.querySelector("strong")?.textContent).toBe("world");
    expect(container.hasAttribute("data-streaming")).toBe(false);
    expect(container.querySelector(".as-markdown")?.hasAttribute("data-streaming")).toBe(true);
  });

  it("closes an unclosed code fence while streaming", () => {
    const { container } = render(<StreamMarkdown text={"Code:\n\n```js\nconst a = '**'"} streaming />);
    const code = container.querySelector("pre code");
    expect(code?.textContent).toBe("const a = '**'\n");
    expect(container.querySelector("strong")).toBeNull();
  });

  it("does not heal finished text", () => {
    const { container } = render(<StreamMarkdown text="Hello **wor" />);
    expect(container.querySelector("strong")).toBeNull();
    expect(container.textContent).toContain("**wor");
  });

  it("renders raw HTML as inert text, never as elements", () => {
    const { container } = render(
      <StreamMarkdown
        text={'Hi <script>alert(1)</script> <img src=x onerror="alert(2)">\n\n<div onclick="x()">block</div>'}
      />,
    );
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("div[onclick]")).toBeNull();
    expect(container.textContent).toContain("<script>alert(1)</script>");
  });

  it("drops javascript:, data: and vbscript: URLs (links become text)", () => {
    const { container } = render(
      <StreamMarkdown
        text={
          "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html;base64,PHNjcmlwdD4=) [d](vbscript:msgbox) [e](&#106;avascript:alert(1)) [ok](https://example.com)\n\n![img](data:image/svg+xml,<svg/onload=alert(1)>)"
        }
      />,
    );
    const anchors = [...container.querySelectorAll("a")];
    expect(anchors.map((a) => a.getAttribute("href"))).toEqual(["https://example.com"]);
    expect(anchors[0]?.getAttribute("rel")).toContain("noopener");
    expect(container.querySelectorAll("[data-removed]")).toHaveLength(5);
    expect(container.querySelector("img")).toBeNull();
    expect(container.textContent).toContain("a b c d e ok");
  });

  it("safeUrlTransform rejects disguised schemes and keeps safe ones", () => {
    expect(safeUrlTransform("java\tscript:alert(1)")).toBe("");
    expect(safeUrlTransform(" javascript:alert(1)")).toBe("");
    expect(safeUrlTransform("DATA:text/html,x")).toBe("");
    expect(safeUrlTransform("vbscript:x")).toBe("");
    expect(safeUrlTransform("https://a.b/c?d#e")).toBe("https://a.b/c?d#e");
    expect(safeUrlTransform("/relative")).toBe("/relative");
    expect(safeUrlTransform("mailto:x@y.z")).toBe("mailto:x@y.z");
  });

  it("re-renders only the last block per token (finished blocks are memoized)", () => {
    let paragraphs = 0;
    const components = {
      p: ({ children }: { children?: React.ReactNode }) => {
        paragraphs++;
        return <p>{children}</p>;
      },
    };
    const { rerender, container } = render(
      <StreamMarkdown text={"One.\n\nTwo.\n\nThr"} streaming components={components} />,
    );
    expect(paragraphs).toBe(3);
    rerender(<StreamMarkdown text={"One.\n\nTwo.\n\nThree"} streaming components={components} />);
    expect(paragraphs).toBe(4);
    rerender(<StreamMarkdown text={"One.\n\nTwo.\n\nThree."} streaming components={components} />);
    expect(paragraphs).toBe(5);
    expect(container.querySelectorAll("p")).toHaveLength(3);
  });

  it("splits blocks on blank lines outside code fences only", () => {
    expect(splitBlocks("a\n\nb")).toEqual(["a", "b"]);
    expect(splitBlocks("a\n\n```\nx\n\ny\n```\n\nb")).toEqual(["a", "```\nx\n\ny\n```", "b"]);
    expect(splitBlocks("a\n\n~~~~\nx\n\n~~~\nstill\n~~~~")).toEqual(["a", "~~~~\nx\n\n~~~\nstill\n~~~~"]);
    expect(splitBlocks("a\n\n")).toEqual(["a", ""]);
    expect(healMarkdown("```py\nprint(1)")).toBe("```py\nprint(1)\n```");
  });

  it("plugs into StreamView through renderMarkdown", () => {
    const store = createRunStore();
    const c = chunker();
    store.push(c({ type: "token", text: "Some **bo" }));
    const { container } = render(<StreamView run={store.getSnapshot()} renderText={renderMarkdown} />);
    expect(container.querySelector(".as-markdown strong")?.textContent).toBe("bo");
  });
});
