import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { metrics, trace } from "@opentelemetry/api";

/**
 * Two copies of `@opentelemetry/api` in one process (the app's and one of its own under
 * node_modules/backie) share one global registry, and a copy ignores what a copy of an older minor
 * registered there. The app's SDK then records nothing of Backie's, silently. `@opentelemetry/api`
 * is a peer dependency so that npm installs one copy; this says so, once, when there are two anyway
 * (a lockfile from before, `--legacy-peer-deps`, a bundler).
 */
const REGISTRY = Symbol.for("opentelemetry.js.api.1");
let warned = false;

interface GlobalRegistry {
  version?: unknown;
  trace?: unknown;
  metrics?: unknown;
}

function globalRegistry(): GlobalRegistry | undefined {
  return (globalThis as Record<symbol, GlobalRegistry | undefined>)[REGISTRY];
}

/** Which registered providers Backie's API copy ignores (empty when none, or nothing is registered). */
export function ignoredProviders(registry = globalRegistry()): string[] {
  if (!registry) return [];
  const ignored: string[] = [];
  if (registry.trace !== undefined && trace.getTracerProvider() !== registry.trace) ignored.push("tracer");
  if (registry.metrics !== undefined && metrics.getMeterProvider() !== registry.metrics) ignored.push("meter");
  return ignored;
}

/** Warns once per process (a Node warning, code BACKIE_OTEL_API) when Backie cannot see the app's SDK. */
export function checkTelemetryApi(warn: (message: string) => void = defaultWarn): void {
  if (warned) return;
  const registry = globalRegistry();
  const ignored = ignoredProviders(registry);
  if (!registry || ignored.length === 0) return;
  warned = true;
  const theirs = typeof registry.version === "string" ? registry.version : "an unknown version";
  warn(
    `OpenTelemetry: the app registered its ${ignored.join(" and ")} provider through @opentelemetry/api ${theirs}, ` +
      `which Backie's copy (${ownVersion()}) ignores: no Backie span or metric is recorded. ` +
      "Install one @opentelemetry/api for the whole app (npm ls @opentelemetry/api; npm dedupe)",
  );
}

function defaultWarn(message: string): void {
  process.emitWarning(message, { code: "BACKIE_OTEL_API" });
}

/** The version of the API copy this module loaded (its package.json is not in its exports map). */
function ownVersion(): string {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve("@opentelemetry/api"));
    for (; dir !== path.dirname(dir); dir = path.dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
        if (pkg.name === "@opentelemetry/api") return pkg.version ?? "unknown";
      } catch {
        // Not here: one folder up.
      }
    }
  } catch {
    // Resolution itself failed: say so below.
  }
  return "version unknown";
}
