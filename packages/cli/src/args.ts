/**
 * The command line: `agentstream run <agent> "<prompt>"`, `agentstream agents`,
 * `agentstream attach <agent> <thread>`, with `--url`, `--token`, `--thread`, `--thread-token`,
 * `--json`.
 *
 * @packageDocumentation
 */

/** A parsed command line. */
export type Command =
  | { kind: "run"; agent: string; prompt: string; thread: string | undefined; common: CommonOptions }
  | { kind: "attach"; agent: string; thread: string; common: CommonOptions }
  | { kind: "agents"; common: CommonOptions }
  | { kind: "help" }
  | { kind: "version" };

/** Options every command takes. */
export interface CommonOptions {
  /** The server, e.g. `http://127.0.0.1:4000` (`--url`, `AGENTSTREAM_URL`). */
  url: string;
  /** Bearer token (`--token`, `AGENTSTREAM_TOKEN`). */
  token: string | undefined;
  /**
   * The token of the thread named (`--thread-token`, `AGENTSTREAM_THREAD_TOKEN`): what the run
   * that created it printed; needed to attach to it or run on it again.
   */
  threadToken: string | undefined;
  /** NDJSON output (`--json`). */
  json: boolean;
}

/** A usage error (exit code 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const DEFAULT_URL = "http://127.0.0.1:4000";

export const USAGE = `Usage:
  agentstream run <agent> "<prompt>" [--url URL] [--token TOKEN] [--thread ID [--thread-token T]] [--json]
  agentstream attach <agent> <thread> [--url URL] [--token TOKEN] [--thread-token T] [--json]
  agentstream agents [--url URL] [--token TOKEN] [--json]

Options:
  --url URL      the AgentStream server (default $AGENTSTREAM_URL or ${DEFAULT_URL})
  --token TOKEN  bearer token (default $AGENTSTREAM_TOKEN)
  --thread ID    run on this thread (default: a new one)
  --thread-token T  the thread's token, printed by the run that created it
                 (default $AGENTSTREAM_THREAD_TOKEN)
  --json         one chunk per line (NDJSON) on stdout, nothing else
  -h, --help     this help
  -v, --version  the version

Exit codes: 0 completed, 1 run error, 2 usage error, 3 cannot reach the server, 130 interrupted (Ctrl-C).`;

/** Parses `argv` (without node and the script). Throws {@link UsageError}. */
export function parseArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Command {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  const valued = new Set(["url", "token", "thread", "thread-token"]);
  const known = new Set([...valued, "json", "help", "version"]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a === "-h") flags.help = true;
    else if (a === "-v") flags.version = true;
    else if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (!known.has(name)) throw new UsageError(`unknown option --${name}`);
      if (valued.has(name)) {
        const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
        flags[name] = value;
      } else {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`);
        flags[name] = true;
      }
    } else positional.push(a);
  }
  if (flags.help) return { kind: "help" };
  if (flags.version) return { kind: "version" };
  const url = String(flags.url ?? env.AGENTSTREAM_URL ?? DEFAULT_URL).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]/.test(url))
    throw new UsageError(`--url must be an http(s) URL (got ${JSON.stringify(url)})`);
  const common: CommonOptions = {
    url,
    token: typeof flags.token === "string" ? flags.token : env.AGENTSTREAM_TOKEN || undefined,
    threadToken:
      typeof flags["thread-token"] === "string"
        ? flags["thread-token"]
        : env.AGENTSTREAM_THREAD_TOKEN || undefined,
    json: flags.json === true,
  };
  const [command, ...rest] = positional;
  const thread = typeof flags.thread === "string" ? flags.thread : undefined;
  switch (command) {
    case "run": {
      if (rest.length !== 2)
        throw new UsageError(`run takes an agent and a prompt: agentstream run <agent> "<prompt>"`);
      return { kind: "run", agent: rest[0] as string, prompt: rest[1] as string, thread, common };
    }
    case "attach": {
      if (rest.length !== 2)
        throw new UsageError("attach takes an agent and a thread: agentstream attach <agent> <thread>");
      if (thread !== undefined)
        throw new UsageError("attach names its thread as an argument, not with --thread");
      return { kind: "attach", agent: rest[0] as string, thread: rest[1] as string, common };
    }
    case "agents":
      if (rest.length > 0) throw new UsageError("agents takes no arguments");
      return { kind: "agents", common };
    case undefined:
      throw new UsageError("no command given");
    default:
      throw new UsageError(`unknown command "${command}" (run, attach, agents)`);
  }
}
