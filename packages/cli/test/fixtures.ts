import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { defineAgent, silentLogger } from "@agentstream/runtime";
import { type AgentServer, createAgentServer } from "@agentstream/runtime/express";

/** What the server-side generators did, by run id. */
export const probe = {
  finallyRan: new Set<string>(),
  started: new Set<string>(),
};

/** Thinks, reports progress, calls a tool, answers. */
export const demo = defineAgent({
  name: "demo",
  description: "Thinks, shows progress, calls a tool and answers.",
  async *run(input, ctx) {
    yield { type: "status", status: "thinking" };
    yield { type: "thinking", text: "Let me look that up." };
    yield { type: "status", status: "acting" };
    for (let i = 1; i <= 3; i++) {
      yield { type: "progress", step: "Searching", current: i, total: 3 };
      await ctx.sleep(5);
    }
    yield { type: "tool_call", id: "t1", name: "search", args: { q: input.prompt } };
    yield { type: "tool_result", id: "t1", name: "search", result: { hits: 2 }, success: true };
    for (const word of ["The ", "answer ", "is ", "42."]) {
      await ctx.sleep(5);
      yield word;
    }
    return { answer: 42 };
  },
});

/** Ticks slowly until stopped; records its start and its finally. */
export const slow = defineAgent({
  name: "slow",
  description: "Ticks until stopped.",
  async *run(input, ctx) {
    probe.started.add(input.runId);
    try {
      for (let i = 0; i < 10_000; i++) {
        yield `tick${i} `;
        await ctx.sleep(20);
      }
    } finally {
      probe.finallyRan.add(input.runId);
    }
  },
});

/** Writes a little, then fails. */
export const broken = defineAgent({
  name: "broken",
  description: "Fails half way.",
  async *run(_input, ctx) {
    yield "partial ";
    await ctx.sleep(5);
    throw new Error("the tool exploded");
  },
});

export async function startServer(): Promise<{ server: AgentServer; url: string }> {
  const server = createAgentServer({ agents: [demo, slow, broken], logger: silentLogger, paceMs: 0 });
  const url = await server.listen(0, "127.0.0.1");
  return { server, url };
}

export const cliMain = fileURLToPath(new URL("../src/main.ts", import.meta.url));
export const cliDir = fileURLToPath(new URL("..", import.meta.url));

/** The node arguments that run the command from its TypeScript sources. */
export const nodeArgs = ["--conditions=@agentstream/source", "--import", "tsx", cliMain];

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `agentstream …` as a child process (no TTY). `onStdout` sees the output as it comes. */
export function runCommand(
  args: string[],
  options: {
    env?: Record<string, string>;
    onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
    onStderr?: (text: string) => void;
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], {
      cwd: cliDir,
      env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
      options.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
      options.onStderr?.(stderr);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
