import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { metrics } from "@opentelemetry/api";
import { BackieError, describeThrown } from "../errors.js";
import { requestTarget } from "../requestTarget.js";

/**
 * The worker's operations port: `/healthz` (alive: the event loop answers within bounds),
 * `/readyz` (the database answers, migrations are current, the pool is not shutting down) and
 * `/metrics` (Prometheus text format). For Kubernetes probes and scrapes.
 */
export interface OpsServerOptions {
  port: number;
  host?: string;
  /** Ready when this resolves; its rejection's message says why not. Called per probe (bounded by `probeTimeoutMs`). */
  ready: () => Promise<void>;
  /** How long a readiness check may take before it counts as unready. Default 2,000 ms. */
  probeTimeoutMs?: number;
  /** `/healthz` fails while the event loop's recent max delay is above this. Default 5,000 ms. */
  maxEventLoopDelayMs?: number;
  /** Serve `/metrics` (needs @opentelemetry/sdk-metrics and @opentelemetry/exporter-prometheus). Default true. */
  metrics?: boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface OpsServer {
  server: Server;
  port: number;
  /** The paths it answers. */
  paths: string[];
  /** Why `/metrics` is not among them although asked for (the app registered its own meter provider). */
  metricsNote?: string;
  close(): Promise<void>;
}

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  // Loaded here, not with the module: every `import "backie"` loads this file, and node:http
  // alone adds 15-19 MB to a process's RSS on Node 22 and later (2 MB on Node 20); a worker
  // without an operations port never needs it.
  const { createServer } = await import("node:http");
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const resetEvery = setInterval(() => delay.reset(), 10_000).unref();
  const metricsHandler = options.metrics === false ? undefined : await createMetricsHandler();
  const probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
  const maxDelayMs = options.maxEventLoopDelayMs ?? 5_000;
  const paths = ["/healthz", "/readyz", ...(metricsHandler ? ["/metrics"] : [])];

  const server = createServer((req, res) => {
    const path = requestTarget(req.url)?.pathname;
    if (path === undefined) return reply(res, 400, { status: "bad request target", paths });
    if (path === "/healthz") {
      const maxMs = delay.max / 1e6;
      return reply(res, maxMs <= maxDelayMs ? 200 : 503, { status: maxMs <= maxDelayMs ? "ok" : "event loop blocked", eventLoopMaxDelayMs: Math.round(maxMs) });
    }
    if (path === "/readyz") {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`readiness check took over ${probeTimeoutMs} ms`)), probeTimeoutMs)));
      void Promise.race([options.ready(), timeout]).then(
        () => reply(res, 200, { status: "ready" }),
        (error: unknown) => reply(res, 503, { status: "not ready", reason: describeThrown(error).message.split("\n")[0] }),
      ).finally(() => clearTimeout(timer));
      return;
    }
    if (path === "/metrics" && metricsHandler) return metricsHandler(req, res);
    reply(res, 404, { status: "not found", paths });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(new BackieError(`cannot serve health and metrics on ${options.host ?? "0.0.0.0"}:${options.port}: ${error.code ?? error.message}`)));
    server.listen(options.port, options.host ?? "0.0.0.0", resolve);
  });
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address ? address.port : options.port,
    paths,
    ...(options.metrics !== false && !metricsHandler
      ? { metricsNote: "no /metrics: the app registered its own OpenTelemetry meter provider, which receives Backie's metrics (export them with it)" }
      : {}),
    close: () => {
      clearInterval(resetEvery);
      delay.disable();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(`${JSON.stringify(body)}\n`);
}

/**
 * A Prometheus reader registered as the global meter provider, unless the application registered
 * its own (then undefined: `/metrics` is the application's business, it has its SDK). Mount the
 * handler next to the dashboard's: `app.get("/metrics", handler)`. The SDK packages are
 * optional peer dependencies, loaded only here, so that workers without a metrics port carry none.
 */
export async function createMetricsHandler(): Promise<Handler | undefined> {
  let sdk: typeof import("@opentelemetry/sdk-metrics");
  let exporterModule: typeof import("@opentelemetry/exporter-prometheus");
  try {
    [sdk, exporterModule] = await Promise.all([import("@opentelemetry/sdk-metrics"), import("@opentelemetry/exporter-prometheus")]);
  } catch {
    throw new BackieError("serving /metrics needs @opentelemetry/sdk-metrics and @opentelemetry/exporter-prometheus: npm install them, or set BACKIE_METRICS=false for health checks only");
  }
  const exporter = new exporterModule.PrometheusExporter({ preventServerStart: true });
  const provider = new sdk.MeterProvider({ readers: [exporter] });
  if (!metrics.setGlobalMeterProvider(provider)) {
    await provider.shutdown();
    return undefined;
  }
  return (req, res) => exporter.getMetricsRequestHandler(req, res);
}
