/**
 * Structured logs: one JSON line per request and per error.
 *
 * @packageDocumentation
 */

/** Log level names, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Fields of one log line besides `level`, `time` and `msg`. */
export type LogFields = Record<string, unknown>;

/** A structured logger. Every method writes (at most) one JSON line. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written; `"silent"` writes nothing. Default `"info"`. */
  level?: LogLevel | "silent";
  /** Where lines go. Default: stdout (errors and warnings to stderr), or the console where there is no stdout. */
  write?: (line: string, level: LogLevel) => void;
}

/** Creates a JSON-lines logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? "info";
  const write =
    options.write ??
    ((line: string, lvl: LogLevel) => {
      const toStderr = lvl === "error" || lvl === "warn";
      try {
        const stream = toStderr ? globalThis.process?.stderr : globalThis.process?.stdout;
        if (stream) {
          stream.write(`${line}\n`);
          return;
        }
      } catch {
        // an edge runtime's stub: the console below
      }
      // Where there is no stdout (an edge runtime), the console.
      if (toStderr) console.error(line);
      else console.log(line);
    });
  const emit = (lvl: LogLevel) => (msg: string, fields?: LogFields) => {
    if (level === "silent" || ORDER[lvl] < ORDER[level]) return;
    write(JSON.stringify({ level: lvl, time: new Date().toISOString(), msg, ...fields }), lvl);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** A logger that writes nothing (tests). */
export const silentLogger: Logger = createLogger({ level: "silent" });
