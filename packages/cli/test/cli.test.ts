import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import type { AgentServer } from "@agentstream/runtime/express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliDir, nodeArgs, probe, runCommand, startServer } from "./fixtures.js";

let server: AgentServer;
let url: string;
beforeAll(async () => {
  ({ server, url } = await startServer());
});
afterAll(async () => {
  await server.close();
});

describe("agentstream against a real server (no TTY)", () => {
  it("--version prints the package's version (package.json, which changeset version bumps)", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    const r = await runCommand(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it("run: the answer, tool lines, progress lines and seed 002's figures as plain lines; exit 0", async () => {
    const r = await runCommand(["run", "demo", "what is it?", "--url", url]);
    expect(r.code).toBe(0);
    // One line on stderr: the new thread's capability, to follow it elsewhere.
    expect(r.stderr).toMatch(
      /^agentstream: thread [\w-]+; to follow it elsewhere: agentstream attach demo [\w-]+ --thread-token [\w-]{43}\n$/,
    );
    expect(r.stdout).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[`)); // no colour, no redraw
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toContain("[status] thinking");
    expect(lines).toContain("Let me look that up.");
    expect(lines).toContain("[progress] Searching 3/3");
    expect(lines).toContain('→ search({"q":"what is it?"})');
    expect(lines).toContain('← search ✓ {"hits":2}');
    expect(lines).toContain("The answer is 42.");
    expect(lines.at(-1)).toMatch(/^✓ \d+\.\d\ds · \d+ chunks · 4 tokens · [\d.]+ tokens\/s$/);
  });

  it("--json: one chunk per line and nothing else (it pipes into jq)", async () => {
    const r = await runCommand(["run", "demo", "q", "--url", url, "--json"]);
    expect(r.code).toBe(0);
    const chunks = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; text?: string });
    expect(chunks.map((c) => c.type)).toContain("progress");
    expect(
      chunks
        .filter((c) => c.type === "token")
        .map((c) => c.text)
        .join(""),
    ).toBe("The answer is 42.");
    expect(chunks.at(-1)?.type).toBe("result");
    const jq = spawnSync("jq", ["-r", 'select(.type=="token") | .text'], {
      input: r.stdout,
      encoding: "utf8",
    });
    if (jq.status === 0) expect(jq.stdout.replace(/\n/g, "")).toBe("The answer is 42.");
  });

  it("a run error: red line on stderr, the partial answer kept on stdout, exit 1", async () => {
    const r = await runCommand(["run", "broken", "go", "--url", url]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("partial");
    expect(r.stderr).toMatch(/✗ error: .*the tool exploded/);
  });

  it("SIGINT mid-run stops the server-side generator (its finally runs) and exits 130", async () => {
    const before = new Set(probe.started);
    let sent = false;
    const r = await runCommand(["run", "slow", "go", "--url", url], {
      onStdout(text, child) {
        if (!sent && text.includes("tick3")) {
          sent = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/■ interrupted: stopped \(Ctrl-C\)/);
    const runId = [...probe.started].find((id) => !before.has(id)) as string;
    expect(runId).toBeDefined();
    await expect.poll(() => probe.finallyRan.has(runId), { timeout: 3_000 }).toBe(true);
    expect(server.registry.active).toBe(0);
  });

  it("attach follows a running run from its start", async () => {
    const threadId = `t-${Date.now()}`;
    let token = "";
    const first = runCommand(["run", "demo", "x", "--url", url, "--thread", threadId, "--json"], {
      onStderr: (text) => {
        token = /--thread-token ([\w-]+)/.exec(text)?.[1] ?? "";
      },
    });
    await expect.poll(() => token, { timeout: 3_000 }).not.toBe("");
    // Without the thread's token the thread is not there for this client.
    const stranger = await runCommand(["attach", "demo", threadId, "--url", url, "--json"]);
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain(`has no thread "${threadId}"`);
    const r = await runCommand(["attach", "demo", threadId, "--url", url, "--json", "--thread-token", token]);
    expect(r.code).toBe(0);
    const types = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types[0]).toBe("status");
    expect(types.at(-1)).toBe("result");
    expect((await first).code).toBe(0);
  });

  it("unreachable server: a clear message naming the URL, exit 3", async () => {
    // A port that was free a moment ago: nothing listens there (connection refused).
    const probeServer = createServer();
    await new Promise<void>((r) => probeServer.listen(0, "127.0.0.1", () => r()));
    const { port } = probeServer.address() as AddressInfo;
    await new Promise((r) => probeServer.close(r));
    const r = await runCommand(["run", "demo", "x", "--url", `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot reach the AgentStream server at http://127.0.0.1:${port}`);
    expect(r.stderr).toMatch(/ECONNREFUSED/);
  });

  it("unknown agent: lists the known ones, exit 2; usage errors exit 2", async () => {
    const r = await runCommand(["run", "nope", "x", "--url", url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown agent "nope"; known agents: demo, slow, broken');
    expect((await runCommand(["run", "demo"])).code).toBe(2);
    expect((await runCommand(["frobnicate"])).code).toBe(2);
  });

  it("agents lists the served agents", async () => {
    const r = await runCommand(["agents", "--url", url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^demo\s+Thinks/m);
  });
});

describe("agentstream in a terminal (tmux)", () => {
  const tmux = spawnSync("tmux", ["-V"]).status === 0;
  it.skipIf(!tmux)(
    "redraws a live status area and ends with the final answer and the figures on screen",
    async () => {
      const session = `agentstream-test-${process.pid}`;
      const command = [process.execPath, ...nodeArgs, "run", "demo", "what?", "--url", url]
        .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
        .join(" ");
      execFileSync("tmux", [
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "100",
        "-y",
        "30",
        "-c",
        cliDir,
        `env -u NO_COLOR TERM=xterm-256color ${command}; echo EXIT=$?; sleep 30`,
      ]);
      try {
        let screen = "";
        await expect
          .poll(
            () => {
              screen = execFileSync("tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" });
              return screen.includes("EXIT=");
            },
            { timeout: 15_000, interval: 100 },
          )
          .toBe(true);
        expect(screen).toContain("The answer is 42.");
        expect(screen).toMatch(/✓ \d+\.\d\ds · \d+ chunks · 4 tokens/);
        expect(screen).toContain("EXIT=0");
        expect(screen).toContain('→ search({"q":"what?"})');
        // The live area (spinner, progress bar) is gone: redrawn away, not left behind.
        expect(screen).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
        expect(screen).not.toContain("░");
        // The escapes show it was drawn in colour (dim figures) and redrawn.
        const escapes = execFileSync("tmux", ["capture-pane", "-p", "-e", "-t", session], {
          encoding: "utf8",
        });
        expect(escapes).toMatch(new RegExp(`${String.fromCharCode(27)}\\[`));
      } finally {
        spawnSync("tmux", ["kill-session", "-t", session]);
      }
    },
  );
});

describe("colour", () => {
  it("follows the terminal, NO_COLOR and FORCE_COLOR", async () => {
    const { colorEnabled } = await import("../src/index.js");
    expect(colorEnabled({ write() {}, isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ write() {}, isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ write() {}, isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ write() {}, isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled({ write() {}, isTTY: true }, { TERM: "dumb" })).toBe(false);
  });
});
