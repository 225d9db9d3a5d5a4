// @vitest-environment node
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const css = readFileSync(new URL("../src/styles.css", import.meta.url), "utf8");
const header = css.slice(0, css.indexOf("*/"));
const body = css.slice(css.indexOf("*/"));

describe("styles.css", () => {
  it("documents every custom property it declares, and declares every one it documents", () => {
    const declared = new Set([...body.matchAll(/(--as-[a-z0-9-]+)\s*:/g)].map((m) => m[1]));
    // Per-component local variables set from data-state (not theming inputs).
    for (const local of [
      "--as-status-color",
      "--as-step-color",
      "--as-badge-color",
      "--as-progress-fraction",
    ]) {
      declared.delete(local);
    }
    const documented = new Set([...header.matchAll(/^\s*\*\s+(--as-[a-z0-9-]+)\s/gm)].map((m) => m[1]));
    expect([...declared].filter((p) => !documented.has(p))).toEqual([]);
    expect([...documented].filter((p) => !declared.has(p))).toEqual([]);
    expect(documented.size).toBeGreaterThan(30);
  });

  it("has light and dark themes, by media query and by explicit override", () => {
    expect(body).toContain("@media (prefers-color-scheme: dark)");
    expect(body).toContain('[data-theme="dark"], .as-theme-dark');
    expect(body).toContain('[data-theme="light"], .as-theme-light');
  });

  it("respects prefers-reduced-motion and skips offscreen segments", () => {
    expect(body).toContain("@media (prefers-reduced-motion: reduce)");
    expect(body).toMatch(/content-visibility:\s*auto/);
    expect(body).toMatch(/contain-intrinsic-size:/);
  });
});
