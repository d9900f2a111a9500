/**
 * `npm run bench [-- --quick] [-- --only process,latency] [-- --repeat 3]`
 *
 * Runs Backie, graphile-worker and pg-boss side by side on the same PostgreSQL, each scenario in
 * a fresh database with the same pg pool size, verifies every result (each task ran exactly once,
 * nothing left pending), prints a table, and writes bench/results/latest.json and
 * docs/benchmarks.md. Every scenario has a hard time bound.
 */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { exactlyOnce, spawnWorker, type WorkerResult } from "./processes.js";
import { renderMarkdown, renderTable } from "./report.js";
import { epochMs, fmt, percentile, sleep } from "./stats.js";
import { FLOORS, rawLoop } from "./floor.js";
import { backie, graphile, pgBoss, SYSTEMS, TASK, type Payload, type System } from "./systems.js";
import { churnScenario } from "./churn.js";
import { footprintScenario } from "./footprint.js";
import { dashboardScenario } from "./dashboard.js";
import { uniqueBatchScenario } from "./uniqueBatch.js";
import { idleInTxScenario } from "./idleInTx.js";
import { insertCostsScenario } from "./insertCosts.js";
import { cpuMeter, processNote } from "./cpu.js";
import { bounded, exited, fill, record, rows, waitDrained, withDatabase } from "./harness.js";
import type { WorkerSpec } from "./worker.js";
import { processVariants as allVariants, type Variant } from "./variants.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    repeat: { type: "string", default: "1" },
    variants: { type: "string" },
    "churn-minutes": { type: "string" },
    /** Tasks per process run (default 20,000). */
    "process-tasks": { type: "string" },
  },
});
/** Substrings: run only the process variants whose "system variant" contains one of them. */
const VARIANTS = values.variants?.split(",");
const QUICK = values.quick;
const REPEAT = Math.max(1, Number(values.repeat));
const PROCESS_TASKS = Number(values["process-tasks"] ?? 20_000);
if (!Number.isInteger(PROCESS_TASKS) || PROCESS_TASKS < 1 || PROCESS_TASKS > 1_000_000) {
  throw new Error(`--process-tasks must be a whole number from 1 to 1000000, got ${JSON.stringify(values["process-tasks"])}`);
}
const ONLY = values.only?.split(",");
const scale = (n: number): number => (QUICK ? Math.max(100, Math.round(n / 20)) : n);

/** How long one process run may take before it is measured over this window instead. */
const PROCESS_WINDOW_MS = QUICK ? 10_000 : 30_000;

// --- enqueue --------------------------------------------------------------------------------

async function enqueueSingle(system: System): Promise<void> {
  const n = scale(5_000);
  await withDatabase(system, async (url, sql) => {
    const client = await system.client(url);
    const latencies: number[] = [];
    const started = performance.now();
    try {
      await bounded("enqueue_single", 120_000, async () => {
        for (let i = 0; i < n; i++) {
          const t = performance.now();
          await client.enqueueOne({ i });
          latencies.push(performance.now() - t);
        }
      });
    } finally {
      await client.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const stored = await system.pending(sql);
    record({ scenario: "enqueue_single", system: system.name, variant: "1 awaited call at a time", tasksPerSecond: n / seconds,
      p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), verified: stored === n ? "ok" : `stored ${stored} of ${n}` });
  });
}

async function enqueueParallel(system: System): Promise<void> {
  const n = scale(20_000);
  await withDatabase(system, async (url, sql) => {
    const client = await system.client(url);
    let next = 0;
    const started = performance.now();
    try {
      await bounded("enqueue_parallel", 120_000, () =>
        Promise.all(Array.from({ length: 16 }, async () => {
          while (next < n) await client.enqueueOne({ i: next++ });
        })));
    } finally {
      await client.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const stored = await system.pending(sql);
    record({ scenario: "enqueue_parallel", system: system.name, variant: "16 calls in flight", tasksPerSecond: n / seconds, verified: stored === n ? "ok" : `stored ${stored} of ${n}` });
  });
}

async function enqueueBatch(system: System): Promise<void> {
  const n = scale(100_000);
  await withDatabase(system, async (url, sql) => {
    const started = performance.now();
    await bounded("enqueue_batch", 180_000, () => fill(system, url, n));
    const seconds = (performance.now() - started) / 1000;
    const stored = await system.pending(sql);
    record({ scenario: "enqueue_batch", system: system.name, variant: "batches of 1,000", tasksPerSecond: n / seconds, verified: stored === n ? "ok" : `stored ${stored} of ${n}` });
  });
}

// --- process ---------------------------------------------------------------------------------

const processVariants = (): Variant[] => allVariants(VARIANTS);

interface ProcessRun {
  tasksPerSecond: number;
  maxRssMb: number;
  verified: string;
  /** Where the CPU went (bench/cpu.ts), when /proc can tell. */
  cpu?: string;
}

/** Pre-enqueues `n` tasks, starts `workers` processes, and times them until none is pending. */
async function processOnce(v: Variant, concurrency: number, n: number, workers = 1, backlog = 0): Promise<ProcessRun> {
  return withDatabase(v.system, async (url, sql) => {
    if (backlog > 0) await addBacklog(sql, backlog);
    return processOnceIn(v, url, sql, concurrency, n, workers);
  });
}

/** processOnce in a database that is already prepared. */
async function processOnceIn(v: Variant, url: string, sql: pg.Pool, concurrency: number, n: number, workers = 1): Promise<ProcessRun> {
  {
    await fill(v.system, url, n);
    const keys = v.spec.backie?.keys;
    if (keys) {
      // A bench fixture in plain SQL: the same rows, each with its key, as a keyed enqueue writes them.
      await sql.query("UPDATE backie_tasks SET concurrency_key = 'k' || ((payload->>'i')::int % $1)", [keys]);
      await sql.query("VACUUM ANALYZE backie_tasks");
    }
    const spec: WorkerSpec = { system: v.system.name, variant: v.variant, url, concurrency, expect: n, ...v.spec };
    const procs = Array.from({ length: workers }, () => spawnWorker(spec));
    try {
      await Promise.all(procs.map((p) => p.ready));
      const meter = await cpuMeter(sql, procs.map((p) => p.child.pid ?? -1));
      const started = Date.now();
      for (const p of procs) p.go();
      // Wait on the workers' own progress reports, then on the database for the last writes: a
      // count over the table every few ms would compete with the system under test.
      // A system too slow to finish within the window is measured over the window instead.
      const deadline = started + PROCESS_WINDOW_MS;
      const timeline: string[] | undefined = process.env.BENCH_TIMELINE ? [] : undefined;
      for (let ran = 0; ran < n && Date.now() < deadline; ran = procs.reduce((sum, p) => sum + p.progress(), 0)) {
        timeline?.push(`${Date.now() - started}:${ran}`);
        await sleep(5);
      }
      if (timeline) console.error(timeline.join(" "));
      const finished = await waitDrained(v.system, sql, Math.max(1_000, deadline - Date.now())).catch(() => undefined);
      const elapsedMs = (finished ?? Date.now()) - started;
      const cpu = await meter();
      const results: WorkerResult[] = await Promise.all(procs.map((p) => p.stop()));
      const check = exactlyOnce(results, n);
      const ran = results.reduce((sum, r) => sum + r.runs.reduce((a, b) => a + b, 0), 0);
      if (finished === undefined) {
        return {
          tasksPerSecond: ran / (elapsedMs / 1000), maxRssMb: Math.max(...results.map((r) => r.maxRssMb)),
          verified: check.duplicates === 0 ? `partial: ${ran} of ${n} in ${PROCESS_WINDOW_MS / 1000} s, no duplicates` : `duplicates ${check.duplicates}`,
        };
      }
      return {
        tasksPerSecond: n / (elapsedMs / 1000),
        maxRssMb: Math.max(...results.map((r) => r.maxRssMb)),
        verified: check.ok ? "ok" : `missing ${check.missing}, duplicates ${check.duplicates}`,
        cpu: processNote(cpu, n, results.reduce((sum, r) => sum + r.statements, 0)),
      };
    } finally {
      await Promise.all(procs.map((p) => exited(p.child, 3_000)));
    }
  }
}

async function processMedian(v: Variant, concurrency: number, n: number, workers = 1, backlog = 0): Promise<ProcessRun> {
  const runs: ProcessRun[] = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await bounded("process", 240_000, () => processOnce(v, concurrency, n, workers, backlog)));
  return medianRun(runs);
}

/**
 * Each concurrency's variants take turns, once per round (--repeat N rounds), so that the
 * machine's drift (here a third of a figure between minutes) falls on all of them alike. A row
 * is its variant's median round; its ratio is the median of the rounds' ratios to the variant it
 * is measured against (Variant.against), when that one is in the run, with their range.
 */
async function processScenario(): Promise<void> {
  const n = scale(PROCESS_TASKS);
  const variants = processVariants();
  for (const concurrency of [10, 50]) {
    const runs = new Map<Variant, ProcessRun[]>(variants.map((v) => [v, []]));
    for (let round = 0; round < REPEAT; round++) {
      for (const v of variants) runs.get(v)!.push(await bounded("process", 240_000, () => processOnce(v, concurrency, n)));
    }
    for (const v of variants) {
      const r = medianRun(runs.get(v)!);
      const reference = variants.find((other) => `${other.system.name} ${other.variant}` === v.against);
      const paired = reference && pairedRatios(runs.get(v)!, runs.get(reference)!);
      const note = [r.cpu, paired && REPEAT > 1 ? `ratio to ${reference.variant} per round ${paired.range}` : undefined].filter(Boolean).join("; ");
      record({
        scenario: `process c=${concurrency}`, system: v.system.name, variant: v.variant, tasksPerSecond: r.tasksPerSecond, rssMb: r.maxRssMb,
        verified: r.verified, ...(paired ? { ratio: paired.median } : {}), note,
      });
    }
  }
}

/** The median run by throughput, "ok" only when every run was. */
function medianRun(runs: ProcessRun[]): ProcessRun {
  const median = [...runs].sort((a, b) => a.tasksPerSecond - b.tasksPerSecond)[Math.floor(runs.length / 2)]!;
  return { ...median, verified: runs.every((r) => r.verified === "ok") ? "ok" : median.verified };
}

/** Round by round ratios of two variants' throughput: their median, and "min–max". */
function pairedRatios(ours: ProcessRun[], theirs: ProcessRun[]): { median: number; range: string } {
  const ratios = ours.map((r, i) => r.tasksPerSecond / theirs[i]!.tasksPerSecond).sort((a, b) => a - b);
  return { median: ratios[Math.floor(ratios.length / 2)]!, range: `${ratios[0]!.toFixed(2)}–${ratios[ratios.length - 1]!.toFixed(2)}` };
}

/** Finished history, kept as keepAll would keep it: a bench fixture written with plain SQL. */
async function addBacklog(sql: pg.Pool, rows: number): Promise<void> {
  for (let done = 0; done < rows; done += 250_000) {
    await sql.query(
      `INSERT INTO backie_tasks (task_name, queue_name, state, payload, attempts, finished_at, created_at, scheduled_at)
       SELECT 'noop', 'default', 'done', jsonb_build_object('i', -g), 1, now(), now(), now()
       FROM generate_series(1, $1::int) AS g`,
      [Math.min(250_000, rows - done)],
    );
  }
  await sql.query("VACUUM ANALYZE backie_tasks");
}

async function backlogScenario(): Promise<void> {
  const n = scale(20_000);
  const kept: Variant = { system: backie, variant: "keepAll", spec: { backie: { retentionMode: "keepAll" } } };
  const empty = await processMedian(kept, 10, n);
  record({ scenario: "backlog", system: "backie", variant: "keepAll, empty table, c=10", tasksPerSecond: empty.tasksPerSecond, verified: empty.verified });
  const history = scale(1_000_000);
  const full = await processMedian(kept, 10, n, 1, history);
  record({ scenario: "backlog", system: "backie", variant: `keepAll, ${fmt(history)} finished rows, c=10`, tasksPerSecond: full.tasksPerSecond,
    ratio: full.tasksPerSecond / empty.tasksPerSecond, verified: full.verified });
}

/** Ready rows of a task name no worker registers, in the queue being worked: plain SQL. */
async function addUnknown(sql: pg.Pool, rows: number): Promise<void> {
  for (let done = 0; done < rows; done += 250_000) {
    await sql.query(
      `INSERT INTO backie_tasks (task_name, queue_name, payload, scheduled_at)
       SELECT 'nobody_registers_this', 'default', jsonb_build_object('i', -g), now() - interval '1 hour'
       FROM generate_series(1, $1::int) AS g`,
      [Math.min(250_000, rows - done)],
    );
  }
  await sql.query("VACUUM ANALYZE backie_tasks");
}

/** 1M ready rows of an unknown name ahead of the real work: claims must not walk them. */
async function backlogUnknownScenario(): Promise<void> {
  const n = scale(20_000);
  const v: Variant = { system: backie, variant: "default", spec: {} };
  const empty = await processMedian(v, 10, n);
  record({ scenario: "backlog_unknown", system: "backie", variant: "empty table, c=10", tasksPerSecond: empty.tasksPerSecond, verified: empty.verified });
  const unknown = scale(1_000_000);
  const full = await withDatabase(backie, async (url, sql) => {
    await addUnknown(sql, unknown);
    return processOnceIn(v, url, sql, 10, n);
  });
  record({ scenario: "backlog_unknown", system: "backie", variant: `${fmt(unknown)} ready rows of an unregistered name, c=10`, tasksPerSecond: full.tasksPerSecond,
    ratio: full.tasksPerSecond / empty.tasksPerSecond, verified: full.verified });
}

/**
 * Durable steps: tasks of 10 no-op steps against 10 times as many plain tasks (the cost of a
 * step: one statement, plus one history read per run), and plain tasks with 10,000 sleeping and
 * 10,000 waiting tasks of the same name parked in the same queue (what parked work costs claims).
 */
async function durableScenario(): Promise<void> {
  const n = scale(20_000);
  const plain: Variant = { system: backie, variant: "default", spec: {} };
  const single = await processMedian(plain, 10, n);
  record({ scenario: "durable", system: "backie", variant: `${fmt(n)} single-step tasks, c=10`, tasksPerSecond: single.tasksPerSecond, verified: single.verified });
  const stepped = await processMedian({ system: backie, variant: "10 steps", spec: { backie: { steps: 10 } } }, 10, n / 10);
  record({
    scenario: "durable", system: "backie", variant: `${fmt(n / 10)} tasks of 10 no-op steps, c=10 (tasks/s)`, tasksPerSecond: stepped.tasksPerSecond,
    ratio: (stepped.tasksPerSecond * 10) / single.tasksPerSecond, verified: stepped.verified,
    note: "ratio: steps/s over single-step tasks/s",
  });
  const parked = scale(10_000);
  const full = await withDatabase(backie, async (url, sql) => {
    await sql.query(
      `INSERT INTO backie_tasks (task_name, queue_name, payload, parked, waiting_for, scheduled_at)
       SELECT $1, 'default', jsonb_build_object('i', -g), CASE WHEN g % 2 = 0 THEN 'sleeping' ELSE 'waiting' END,
              CASE WHEN g % 2 = 1 THEN 'approved' END, CASE WHEN g % 2 = 0 THEN now() + interval '2 days' ELSE 'infinity' END
       FROM generate_series(1, $2::int) AS g`,
      [TASK, parked * 2],
    );
    await sql.query("VACUUM ANALYZE backie_tasks");
    return processOnceIn(plain, url, sql, 10, n);
  });
  record({
    scenario: "durable", system: "backie", variant: `${fmt(n)} tasks, ${fmt(parked)} sleeping + ${fmt(parked)} waiting of the same name, c=10`,
    tasksPerSecond: full.tasksPerSecond, rssMb: full.maxRssMb, ratio: full.tasksPerSecond / single.tasksPerSecond, verified: full.verified,
  });
}

async function scaleOutScenario(): Promise<void> {
  const n = scale(20_000);
  let single = 0;
  for (const workers of [1, 2, 4]) {
    const r = await processMedian({ system: backie, variant: "default", spec: {} }, 10, n, workers);
    if (workers === 1) single = r.tasksPerSecond;
    record({ scenario: "scale_out", system: "backie", variant: `${workers} worker process${workers > 1 ? "es" : ""}, c=10 each`, tasksPerSecond: r.tasksPerSecond,
      ratio: r.tasksPerSecond / single, verified: r.verified });
  }
}

// --- latency ---------------------------------------------------------------------------------

async function latencyScenario(): Promise<void> {
  const n = QUICK ? 100 : 500;
  const variants: Variant[] = [
    { system: backie, variant: "default (LISTEN/NOTIFY)", spec: {} },
    { system: graphile, variant: "default (LISTEN/NOTIFY)", spec: { graphile: { tuned: false } } },
    { system: pgBoss, variant: "LISTEN/NOTIFY", spec: { pgBoss: { batchSize: 1, listen: true } } },
    { system: rawLoop, variant: "prefetching loop (floor; LISTEN, or a look every 5 ms)", spec: {} },
    // Idle between tasks, as Backie is: a look every 5 ms keeps the machine's CPUs awake, and on
    // this VM a round trip after 20 ms of idleness takes 0.55 ms against 0.23 ms while another
    // connection polls every 5 ms (docs/performance.md).
    { system: rawLoop, variant: "prefetching loop (floor; LISTEN only)", spec: { raw: { pollMs: 0 } } },
  ];
  // With --repeat N, N rounds, the systems taking turns within each, and percentiles over the
  // pooled samples: one system's run lands on a quieter or busier minute of a shared machine, and
  // a single run's p50 moved by ±0.5 ms from one run to the next.
  const pooled = new Map<Variant, { latencies: number[]; verified: string }>(variants.map((v) => [v, { latencies: [], verified: "ok" }]));
  for (let round = 0; round < REPEAT; round++) {
    for (const v of variants) {
      const into = pooled.get(v)!;
      await withDatabase(v.system, async (url, sql) => {
        const worker = spawnWorker({ system: v.system.name, variant: v.variant, url, concurrency: 10, expect: n, ...v.spec });
        const client = await v.system.client(url);
        try {
          await worker.ready;
          worker.go();
          await sleep(1_500); // idle: the worker has started and is waiting
          await bounded("latency", 60_000, async () => {
            for (let i = 0; i < n; i++) {
              await client.enqueueOne({ i, t: epochMs() } satisfies Payload);
              await sleep(20);
            }
          });
          await waitDrained(v.system, sql, 30_000);
          const result = await worker.stop();
          const check = exactlyOnce([result], n);
          into.latencies.push(...result.latencies);
          if (!check.ok && into.verified === "ok") into.verified = `missing ${check.missing}, duplicates ${check.duplicates}`;
        } finally {
          await client.close();
          await exited(worker.child, 3_000);
        }
      });
    }
  }
  for (const v of variants) {
    const { latencies, verified } = pooled.get(v)!;
    record({ scenario: "latency", system: v.system.name, variant: v.variant, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95),
      p99Ms: percentile(latencies, 99), verified, ...(REPEAT > 1 ? { note: `${REPEAT} rounds, systems in turn, samples pooled` } : {}) });
  }
}

// --- main ------------------------------------------------------------------------------------

const SCENARIOS: Array<[string, () => Promise<void>]> = [
  ["enqueue_single", async () => { for (const s of [...SYSTEMS, ...FLOORS]) await enqueueSingle(s); }],
  ["enqueue_parallel", async () => { for (const s of [...SYSTEMS, ...FLOORS]) await enqueueParallel(s); }],
  ["enqueue_batch", async () => { for (const s of [...SYSTEMS, ...FLOORS]) await enqueueBatch(s); }],
  ["enqueue_unique_batch", () => uniqueBatchScenario(scale(100_000))],
  ["insert_costs", () => insertCostsScenario(QUICK)],
  ["process", processScenario],
  ["latency", latencyScenario],
  ["backlog", backlogScenario],
  ["scale_out", scaleOutScenario],
  ["backlog_unknown", backlogUnknownScenario],
  ["durable", durableScenario],
  ["idle_in_tx", () => idleInTxScenario(QUICK)],
  ["footprint", footprintScenario],
  ["dashboard", () => dashboardScenario(QUICK)],
  ["churn", () => churnScenario(Number(values["churn-minutes"] ?? (QUICK ? 1 : 10)))],
];

const startedAt = new Date();
const failures: string[] = [];
for (const [name, run] of SCENARIOS) {
  if (ONLY && !ONLY.includes(name)) continue;
  console.log(`\n== ${name}`);
  try {
    await run();
  } catch (error) {
    failures.push(`${name}: ${(error as Error).message}`);
    console.error(`!! ${name} failed: ${(error as Error).message}`);
  }
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${(await serverVersion()) ?? "PostgreSQL"}`;
console.log(`\n${renderTable(rows, true)}`);
if (failures.length > 0) console.log(`\nfailed scenarios:\n${failures.join("\n")}`);
const command = `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
if (!QUICK && !ONLY) {
  writeFileSync("bench/results/latest.json", `${JSON.stringify({ startedAt, machine, command, quick: QUICK, repeat: REPEAT, rows, failures }, null, 2)}\n`);
  writeFileSync("docs/benchmarks.md", renderMarkdown({ startedAt, machine, command, rows, failures, repeat: REPEAT }));
} else if (!QUICK && ONLY && !VARIANTS) {
  // A full re-run of some scenarios replaces their rows in the last full results, and says so.
  const last = JSON.parse(readFileSync("bench/results/latest.json", "utf8")) as { startedAt: string; machine: string; command: string; rows: typeof rows; failures: string[]; rerun?: string };
  const of = (scenario: string, name: string): boolean => scenario === name || scenario.startsWith(`${name} `);
  const merged = [...last.rows.filter((r) => !ONLY.some((o) => of(r.scenario, o))), ...rows];
  const order = SCENARIOS.map(([name]) => name);
  const rank = (r: (typeof rows)[number]) => order.findIndex((name) => of(r.scenario, name));
  merged.sort((a, b) => rank(a) - rank(b));
  // The machine line stays the full run's; a re-run elsewhere (another machine, Node line or
  // server) says where.
  const where = machine === last.machine ? "" : ` on ${machine}`;
  const note = `${last.rerun ?? `${last.command} (${last.startedAt})`}; ${ONLY.join(", ")} re-run by ${command}${where} (${startedAt.toISOString()})`;
  writeFileSync("bench/results/latest.json", `${JSON.stringify({ ...last, rows: merged, rerun: note }, null, 2)}\n`);
  writeFileSync("docs/benchmarks.md", renderMarkdown({ startedAt: new Date(last.startedAt), machine: last.machine, command: note, rows: merged, failures: [...last.failures, ...failures], repeat: REPEAT }));
}
// A partial measurement (a system too slow for the window) is a result, not a failure.
const failedChecks = rows.filter((r) => r.verified !== "ok" && !/^partial: .*no duplicates$/.test(r.verified));
process.exitCode = failures.length > 0 || failedChecks.length > 0 ? 1 : 0;

async function serverVersion(): Promise<string | undefined> {
  const sql = new pg.Pool({ connectionString: (await import("../scripts/lib/databases.js")).adminUrl(), max: 1 });
  try {
    return ((await sql.query("SHOW server_version")).rows[0] as { server_version: string }).server_version.replace(/^/, "PostgreSQL ");
  } catch {
    return undefined;
  } finally {
    await sql.end();
  }
}
