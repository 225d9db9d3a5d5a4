import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { createAgentServer } from "../src/express.js";
import * as runtime from "../src/index.js";
import { silentLogger } from "../src/index.js";
import { testAgents } from "./fixtures.js";

const DEMO = /research|analyst|calculator|team|embedded|knowledge|minisearch|mathjs|routeByIntent|llm/i;

describe("the runtime is a library", () => {
  it("exports no demo agent or demo helper", () => {
    const names = Object.keys(runtime);
    expect(names.filter((n) => DEMO.test(n))).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining(["createAgentHandler", "defineAgent", "fromAiSdk", "fromAgUiAgent"]),
    );
  });

  it("its sources neither import the agents package nor write to process.env", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith(".ts")) files.push(full);
      }
    };
    walk(join(import.meta.dirname, "../src"));
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(
        /from "@agentstream\/agents"|from "ai"|import\("ai"\)|process\.env\.[A-Z_]+\s*(\?\?|\|\|)?=[^=]/,
      );
    }
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies)).not.toContain("ai");
    expect(pkg.peerDependenciesMeta.ai.optional).toBe(true);
  });

  it("createAgentServer requires `agents`, naming the option and where the demo agents are", () => {
    expect(() => createAgentServer({ logger: silentLogger } as never)).toThrow(/`agents` option is required/);
    expect(() => createAgentServer(undefined as never)).toThrow(/@agentstream\/agents/);
  });

  it("CopilotKit's telemetry stays off (no notice) unless copilotKitTelemetry is set", () => {
    const saved = { ...process.env };
    delete process.env.COPILOTKIT_TELEMETRY_DISABLED;
    delete process.env.DO_NOT_TRACK;
    const notices: string[] = [];
    const info = vi.spyOn(console, "info").mockImplementation((...args) => notices.push(args.join(" ")));
    try {
      createAgentServer({ agents: testAgents, logger: silentLogger });
      expect(notices.filter((n) => /telemetry/i.test(n))).toEqual([]);
      expect(process.env.COPILOTKIT_TELEMETRY_DISABLED).toBeUndefined();
      // Asked for, CopilotKit's own behaviour comes back (its notice, once per process).
      createAgentServer({ agents: testAgents, logger: silentLogger, copilotKitTelemetry: true });
      expect(notices.filter((n) => /telemetry enabled/.test(n))).toHaveLength(1);
    } finally {
      info.mockRestore();
      Object.assign(process.env, saved);
    }
  });

  it("createAgentServer leaves process.env alone", () => {
    const before = { ...process.env };
    delete process.env.DO_NOT_TRACK;
    const snapshot = { ...process.env };
    const s = createAgentServer({ agents: testAgents, logger: silentLogger });
    expect(s.agents.length).toBeGreaterThan(0);
    expect({ ...process.env }).toEqual(snapshot);
    Object.assign(process.env, before);
  });
});
