/**
 * The `agentstream` executable: wires {@link runCli} to the process (stdout, stderr, env,
 * SIGINT) and exits with its code.
 *
 * @packageDocumentation
 */
import { runCli } from "./cli.js";

// A reader that went away (`agentstream run … | head`): stop quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onInterrupt(handler) {
    process.on("SIGINT", handler);
    return () => process.off("SIGINT", handler);
  },
}).catch((error: unknown) => {
  process.stderr.write(
    `agentstream: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
});
// Let stdout drain (a pipe into jq), then exit with the code.
process.stdout.write("", () => process.exit(code));
