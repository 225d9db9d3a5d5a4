/**
 * `@agentstream/cli`: the `agentstream` command (run, attach, agents) on core's run client.
 * The executable is `bin/agentstream.js`; {@link runCli} runs it in process.
 *
 * @packageDocumentation
 */
export { type Command, type CommonOptions, DEFAULT_URL, parseArgs, USAGE, UsageError } from "./args.js";
export { type CliIo, EXIT, runCli, VERSION } from "./cli.js";
export {
  colorEnabled,
  figures,
  jsonRenderer,
  type OutStream,
  type Renderer,
  type RunEnding,
  type TextRendererOptions,
  textRenderer,
} from "./render.js";
