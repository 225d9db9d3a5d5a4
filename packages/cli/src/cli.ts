/**
 * The `agentstream` command: `run`, `attach`, `agents`, on core's run client (start, attach,
 * stop, resume by Last-Event-ID). See {@link runCli}.
 *
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { type AgentRunHandle, createRunClient, RunClientError, type RunState } from "@agentstream/core";
import { type Command, type CommonOptions, parseArgs, USAGE, UsageError } from "./args.js";
import {
  colorEnabled,
  jsonRenderer,
  type OutStream,
  type Renderer,
  type RunEnding,
  textRenderer,
} from "./render.js";

/** Exit codes. */
export const EXIT = { completed: 0, runError: 1, usage: 2, unreachable: 3, interrupted: 130 } as const;

/** What the command needs from its process (tests pass their own). */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Registers the Ctrl-C handler; returns its removal. */
  onInterrupt(handler: () => void): () => void;
  fetch?: typeof fetch;
}

/** This package's version, read from its package.json so that `changeset version` keeps `--version` right. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

interface AgentEntry {
  id: string;
  description?: string;
}

/** A failure that ends the command with `code` after printing `message` on stderr. */
class Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs the command line `argv` (without node and the script); resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(
      argv.length === 0
        ? `${USAGE}\n`
        : `agentstream: ${error.message}\n(agentstream --help shows the usage)\n`,
    );
    return EXIT.usage;
  }
  try {
    switch (command.kind) {
      case "help":
        io.stdout.write(`${USAGE}\n`);
        return 0;
      case "version":
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case "agents":
        return await listAgents(command.common, io);
      case "run":
      case "attach":
        return await follow(command, io);
    }
  } catch (error) {
    if (error instanceof Exit) {
      io.stderr.write(`agentstream: ${error.message}\n`);
      return error.code;
    }
    throw error;
  }
}

function unreachable(url: string, error: unknown): Exit {
  const cause =
    error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new Exit(EXIT.unreachable, `cannot reach the AgentStream server at ${url} (${cause})`);
}

async function fetchAgents(common: CommonOptions, io: CliIo): Promise<AgentEntry[]> {
  const fetchImpl = io.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetchImpl(`${common.url}/api/agents`, {
      headers: {
        Accept: "application/json",
        ...(common.token ? { Authorization: `Bearer ${common.token}` } : {}),
      },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw unreachable(common.url, error);
  }
  if (response.status === 401)
    throw new Exit(
      EXIT.usage,
      `the server at ${common.url} wants a bearer token (--token or AGENTSTREAM_TOKEN)`,
    );
  if (!response.ok)
    throw new Exit(EXIT.runError, `GET ${common.url}/api/agents failed: HTTP ${response.status}`);
  const body = (await response.json().catch(() => ({}))) as { agents?: AgentEntry[] };
  if (!Array.isArray(body.agents))
    throw new Exit(
      EXIT.unreachable,
      `${common.url} does not look like an AgentStream server (GET /api/agents)`,
    );
  return body.agents;
}

async function listAgents(common: CommonOptions, io: CliIo): Promise<number> {
  const agents = await fetchAgents(common, io);
  if (common.json) {
    for (const a of agents) io.stdout.write(`${JSON.stringify(a)}\n`);
    return 0;
  }
  const width = Math.max(0, ...agents.map((a) => a.id.length));
  for (const a of agents) io.stdout.write(`${a.id.padEnd(width)}  ${a.description ?? ""}\n`);
  return 0;
}

async function follow(command: Extract<Command, { kind: "run" | "attach" }>, io: CliIo): Promise<number> {
  const { common } = command;
  const agents = await fetchAgents(common, io);
  if (!agents.some((a) => a.id === command.agent))
    throw new Exit(
      EXIT.usage,
      `unknown agent "${command.agent}"; known agents: ${agents.map((a) => a.id).join(", ") || "(none)"}`,
    );

  const named = command.thread;
  const client = createRunClient({
    baseUrl: common.url,
    ...(common.token ? { token: common.token } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
    threadTokens: new Map(named !== undefined && common.threadToken ? [[named, common.threadToken]] : []),
  });
  const handle: AgentRunHandle =
    command.kind === "run"
      ? client.run(command.agent, {
          ...(command.thread ? { threadId: command.thread } : {}),
          messages: [{ id: crypto.randomUUID(), role: "user", content: command.prompt }],
        })
      : client.attach(command.agent, command.thread);

  const live = !common.json && io.stdout.isTTY === true && io.env.TERM !== "dumb";
  const renderer: Renderer = common.json
    ? jsonRenderer(io.stdout, io.stderr)
    : textRenderer({
        out: io.stdout,
        err: io.stderr,
        agent: command.agent,
        live,
        color: colorEnabled(io.stdout, io.env),
      });

  let interrupted = false;
  let stopping: Promise<void> | undefined;
  const removeInterrupt = io.onInterrupt(() => {
    if (interrupted) return; // a second Ctrl-C while stopping: the stop is already on its way
    interrupted = true;
    stopping = handle.stop();
  });
  let told = false;
  const unsubscribe = handle.subscribe(() => {
    renderer.connection(handle.status);
    const token = handle.threadToken;
    if (told || command.kind !== "run" || token === undefined || token === common.threadToken) return;
    told = true;
    // The thread's capability, as soon as the server hands it out: without it nobody can attach
    // to the thread (from another terminal, later) or run on it again.
    renderer.note(
      `agentstream: thread ${handle.threadId}; to follow it elsewhere: agentstream attach ${command.agent} ${handle.threadId} --thread-token ${token}`,
    );
  });
  const state = () => handle.store.getSnapshot();
  let failure: unknown;
  try {
    for await (const chunk of handle.chunks()) renderer.chunk(chunk, state);
  } catch (error) {
    failure = error;
  } finally {
    unsubscribe();
  }
  if (stopping) await stopping;
  removeInterrupt();

  const final: RunState = state();
  let ending: RunEnding;
  let code: number;
  if (interrupted) {
    ending = { kind: "interrupted", reason: "stopped (Ctrl-C)" };
    code = EXIT.interrupted;
  } else if (failure !== undefined) {
    const e = failure as RunClientError;
    if (e instanceof RunClientError && (e.code === "network" || e.code === "retries_exhausted")) {
      ending = { kind: "unreachable", message: `lost the AgentStream server at ${common.url}: ${e.message}` };
      code = EXIT.unreachable;
    } else if (e instanceof RunClientError && e.status === 404) {
      ending = { kind: "failed", message: e.message };
      code = EXIT.usage;
    } else {
      ending = { kind: "failed", message: e instanceof Error ? e.message : String(e) };
      code = EXIT.runError;
    }
  } else if (final.error) {
    ending = { kind: "failed", message: final.error.message };
    code = EXIT.runError;
  } else if (final.interruption) {
    ending = { kind: "interrupted", reason: final.interruption.reason };
    code = EXIT.runError;
  } else if (final.done) {
    ending = { kind: "completed" };
    code = EXIT.completed;
  } else {
    ending = { kind: "failed", message: "the stream ended before the run did" };
    code = EXIT.runError;
  }
  renderer.finish(final, ending);
  if (common.json && code !== EXIT.completed && ending.kind !== "completed") {
    const message = ending.kind === "interrupted" ? `interrupted: ${ending.reason}` : ending.message;
    io.stderr.write(`agentstream: ${message}\n`);
  }
  return code;
}
