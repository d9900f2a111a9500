import { ConfigError } from "../errors.js";

/**
 * What Backie records through OpenTelemetry, for the whole process (OpenTelemetry's providers are
 * process-wide too). Nothing here matters without a registered SDK: then nothing is recorded.
 */
export interface TelemetryOptions {
  /**
   * `all` (default): a consumer span per run and a producer span per enqueue. `sampled`: only
   * inside a sampled trace (a run whose enqueuer's span was sampled, an enqueue inside a sampled
   * span): otherwise no span object, id or attribute is made, and the run goes on in the
   * enqueuer's (unsampled) context. `off`: no spans (metrics only).
   */
  spans?: "all" | "sampled" | "off";
  /**
   * `all` (default): run duration and wait, claim duration and batch size histograms. `off`:
   * the counters and gauges only (a histogram record is most of what metrics cost per run).
   */
  histograms?: "all" | "off";
}

const SPANS = ["all", "sampled", "off"] as const;
const HISTOGRAMS = ["all", "off"] as const;

/** The settings in force, read on every run: plain fields, no lookups. */
export const telemetrySettings: Required<TelemetryOptions> = { spans: "all", histograms: "all" };

/**
 * Sets what Backie records (see TelemetryOptions); options left out keep their value. The
 * environment sets the starting values: BACKIE_OTEL_SPANS (all, sampled, off) and
 * BACKIE_OTEL_HISTOGRAMS (all, off).
 */
export function configureTelemetry(options: TelemetryOptions): void {
  if (options.spans !== undefined) telemetrySettings.spans = oneOf("spans", options.spans, SPANS);
  if (options.histograms !== undefined) telemetrySettings.histograms = oneOf("histograms", options.histograms, HISTOGRAMS);
}

function oneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`configureTelemetry: ${what} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
}

/** The environment's values; a bad one is said once, as a process warning, and ignored. */
function fromEnvironment(env: NodeJS.ProcessEnv): void {
  for (const [name, key, allowed] of [["BACKIE_OTEL_SPANS", "spans", SPANS], ["BACKIE_OTEL_HISTOGRAMS", "histograms", HISTOGRAMS]] as const) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    if ((allowed as readonly string[]).includes(value)) configureTelemetry({ [key]: value });
    else process.emitWarning(`${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}; using "all"`, { code: "BACKIE_OTEL_SETTING" });
  }
}

fromEnvironment(process.env);
