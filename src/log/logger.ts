import type { TaskLogger } from "../types.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** A logger: `TaskLogger` plus `debug`. pino, winston and console-like loggers fit as they are. */
export interface Logger extends TaskLogger {
  debug?(message: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const LOG_LEVELS = Object.keys(RANK) as LogLevel[];

export interface LineLoggerOptions {
  level?: LogLevel;
  /** `json`: one JSON object per line (for log shippers); `pretty`: time, level, message, fields. */
  format?: "json" | "pretty";
  write?: (line: string) => void;
}

/**
 * The entrypoint's default logger: one line per entry, never throws (a field that cannot be
 * serialised is replaced, not fatal), errors as message and stack.
 */
export function lineLogger(options: LineLoggerOptions = {}): Required<Logger> {
  const min = RANK[options.level ?? "info"];
  const format = options.format ?? "json";
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>): void => {
    if (RANK[level] < min) return;
    try {
      write(format === "json" ? jsonLine(level, message, fields) : prettyLine(level, message, fields));
    } catch {
      // Logging must never take a worker down (a closed stdout, a throwing sink).
    }
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/** A logger that adds `fields` to every entry (a run's task, id and attempt). */
export function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  const bind = (level: LogLevel) =>
    (message: string, extra?: Record<string, unknown>): void => {
      try {
        // Called on the logger itself: pino and winston need their `this`.
        logger[level]?.(message, extra ? { ...fields, ...extra } : fields);
      } catch {
        // A user's logger that throws must not fail the run that logged.
      }
    };
  return { debug: bind("debug"), info: bind("info"), warn: bind("warn"), error: bind("error") };
}

function jsonLine(level: LogLevel, message: string, fields?: Record<string, unknown>): string {
  const entry = { time: new Date().toISOString(), level, msg: message, ...plain(fields) };
  try {
    return JSON.stringify(entry);
  } catch {
    return JSON.stringify({ time: entry.time, level, msg: message, fieldsError: "fields could not be serialised" });
  }
}

function prettyLine(level: LogLevel, message: string, fields?: Record<string, unknown>): string {
  const rest = Object.entries(plain(fields))
    .filter(([k]) => k !== "stack")
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : safeJson(v)}`)
    .join(" ");
  const stack = typeof fields?.stack === "string" ? `\n${fields.stack}` : "";
  return `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${rest ? `  ${rest}` : ""}${stack}`;
}

function plain(fields?: Record<string, unknown>): Record<string, unknown> {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { message: v.message, stack: v.stack } : v;
  }
  return out;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "[unserialisable]";
  }
}
