/**
 * One worker process of one system, for the process, latency, backlog and scale-out scenarios.
 * Protocol on stdio: prints `ready`; on `go` starts working; on `stop` stops and prints one JSON
 * line with what ran (so the parent can check every task ran exactly once) and the peak RSS.
 */
import { createInterface } from "node:readline";
import pg from "pg";
import { run, type Runner } from "graphile-worker";
import type { AppContext, RetentionMode, TelemetryOptions } from "../src/index.js";
import { configureTelemetry, defineTask, PgTaskStore, WorkerPool } from "./runtime.js";
import { startBoss, TASK, type Payload } from "./systems.js";
import { validatorFor } from "./validator.js";
import { startRawLoop } from "./floor.js";
import { epochMs } from "./stats.js";

export interface WorkerSpec {
  system: "backie" | "graphile-worker" | "pg-boss" | "raw pg";
  variant: string;
  url: string;
  concurrency: number;
  /** Payload `i` ranges over 0..expect-1. */
  expect: number;
  backie?: { prefetch?: number; listen?: boolean; preparedStatements?: boolean; retentionMode?: RetentionMode; completionBatchSize?: number; completionDelayMs?: number; leaseMs?: number; telemetry?: boolean | "hand"; otel?: TelemetryOptions; ioMs?: number; keys?: number; steps?: number; timeClaims?: boolean };
  graphile?: { tuned: boolean };
  pgBoss?: { batchSize: number; listen: boolean };
  /** The raw loop's look at an empty table, in ms (default 5); 0: LISTEN only. */
  raw?: { pollMs: number };
}

const spec = JSON.parse(process.argv[2]!) as WorkerSpec;

// Statements sent between the start and stop signals (issue 24: statements per task). Every
// system here sends its SQL through this copy of pg's Client.query (one pg in node_modules).
let statements = 0;
let counting = false;
const clientProto = pg.Client.prototype as unknown as { query: (this: unknown, ...args: unknown[]) => unknown };
const query = clientProto.query;
clientProto.query = function (this: unknown, ...args: unknown[]) {
  if (counting) statements++;
  return query.apply(this, args);
};
const counts = new Uint16Array(spec.expect);
const latencies: number[] = [];
/** With `timeClaims`: (when, ms) pairs of each claim statement, and of each stamped task's start. */
const timed = spec.backie?.timeClaims ?? false;
const claims: number[] = [];
const startTimes: number[] = [];
let ran = 0;
const handle = (p: Payload): void => {
  ran++;
  if (p.i >= 0 && p.i < counts.length) counts[p.i]! += 1;
  if (p.t !== undefined) {
    const now = epochMs();
    latencies.push(now - p.t);
    if (timed) startTimes.push(now, now - p.t);
  }
};

// An application registers its SDK at startup: loading and registering it here, before "ready",
// keeps the SDK's module load time out of the measured window (it was ~0.4 s of a 1 s run).
const telemetry = spec.system === "backie" && spec.backie?.telemetry
  ? (await import("./telemetrySdk.js")).registerTelemetry(spec.backie.telemetry === "hand" ? "hand" : "builtin") : undefined;
if (spec.backie?.otel) configureTelemetry(spec.backie.otel);

// Compiled before `ready`, outside the measured window: a generated worker imports its validators
// precompiled (codegen), where compiling this one at the start signal took 35-45 ms of the run.
const validate = validatorFor();

async function startWorker(): Promise<() => Promise<void>> {
  switch (spec.system) {
    case "backie": {
      const o = spec.backie ?? {};
      const store = new PgTaskStore({ connectionString: spec.url, maxConnections: 10, preparedStatements: o.preparedStatements ?? true });
      if (timed) {
        // Bench instrumentation: the claim statement's round trip, as the worker sees it.
        const claim = store.claimTasks.bind(store);
        store.claimTasks = async (request) => {
          const started = performance.now();
          try {
            return await claim(request);
          } finally {
            claims.push(Date.now(), performance.now() - started);
          }
        };
      }
      const ioMs = o.ioMs ?? 0;
      // ioMs > 0: the task awaits a timer, standing in for a call to another service.
      const keyed = o.keys ? { concurrencyKey: (p: Payload) => `k${p.i % o.keys!}`, concurrencyLimit: 1 } : {};
      const work = async (p: Payload): Promise<void> => {
        if (ioMs > 0) await new Promise((resolve) => setTimeout(resolve, ioMs));
        handle(p);
      };
      // steps > 0: a durable task of that many no-op steps (each stored once, in its own statement).
      const steps = o.steps ?? 0;
      const noop = defineTask({ name: TASK, ...keyed, run: o.telemetry === "hand"
        ? (p: Payload) => telemetry!.instrument(TASK, "default", p.i, () => work(p))
        : steps > 0
          ? async (p: Payload, ctx) => {
            for (let s = 0; s < steps; s++) await ctx.step(`s${s}`, () => s);
            handle(p);
          }
          : work });
      // The bench task uses no application context (this repository's AppContext is augmented).
      const pool = new WorkerPool({ app: { create: () => ({}) as AppContext },
        store, registry: { [TASK]: { definition: noop, validate } }, listen: o.listen ?? true,
        ...(o.completionBatchSize === undefined ? {} : { completionBatchSize: o.completionBatchSize }),
        ...(o.completionDelayMs === undefined ? {} : { completionDelayMs: o.completionDelayMs }),
        ...(o.leaseMs === undefined ? {} : { leaseMs: o.leaseMs }),
        queues: { default: { numWorkers: spec.concurrency, retentionMode: o.retentionMode ?? "removeDone", ...(o.prefetch === undefined ? {} : { prefetch: o.prefetch === -1 ? spec.concurrency : o.prefetch }) } },
      });
      await pool.start();
      return async () => {
        await pool.stop();
        await store.close();
        await telemetry?.shutdown();
      };
    }
    case "graphile-worker": {
      const tuned = spec.graphile?.tuned ?? false;
      const runner: Runner = await run({
        connectionString: spec.url, concurrency: spec.concurrency, noHandleSignals: true, pollInterval: 1_000,
        taskList: { [TASK]: async (payload) => handle(payload as Payload) },
        preset: {
          worker: {
            maxPoolSize: 10,
            ...(tuned ? { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } : {}),
          },
        },
        logger: undefined,
      });
      return () => runner.stop();
    }
    case "raw pg":
      return startRawLoop(spec.url, spec.concurrency, handle, spec.raw?.pollMs ?? 5);
    case "pg-boss": {
      const o = spec.pgBoss ?? { batchSize: 1, listen: false };
      const boss = await startBoss(spec.url, o.listen);
      const tuned = o.batchSize > 1 ? { batchSize: o.batchSize, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 } : {};
      await boss.work<Payload>(TASK, { localConcurrency: spec.concurrency, ...tuned }, async (jobs) => {
        for (const job of jobs) handle(job.data);
      });
      return () => boss.stop({ graceful: true, timeout: 5_000 });
    }
  }
}

const lines = createInterface({ input: process.stdin });
let stop: (() => Promise<void>) | undefined;
let progress: NodeJS.Timeout | undefined;
lines.on("line", (line) => {
  if (line === "go") {
    counting = true;
    void startWorker().then((s) => (stop = s));
    // Progress for the parent, so that it need not count rows in the database while we work.
    progress = setInterval(() => process.stdout.write(`progress ${ran}\n`), 20);
  } else if (line === "stop") {
    // The run is over (every task written): what stopping sends is not the run's.
    counting = false;
    void (async () => {
      clearInterval(progress);
      await stop?.();
      const maxRssMb = process.resourceUsage().maxRSS / 1024;
      const runs = Buffer.from(counts.buffer).toString("base64");
      // Exit once the line is flushed: a large result written to a pipe is cut off by exit().
      process.stdout.write(`${JSON.stringify({ runs, maxRssMb, latencies, statements, ...(timed ? { claims, startTimes } : {}) })}\n`, () => process.exit(0));
    })();
  }
});
process.stdout.write("ready\n");
