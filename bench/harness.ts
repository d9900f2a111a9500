/** What every bench scenario uses: a fresh database per run, time bounds, filling, recording. */
import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { createDatabase, dropDatabase } from "../scripts/lib/databases.js";
import { renderTable, type Row } from "./report.js";
import { sleep } from "./stats.js";
import type { System } from "./systems.js";

export const rows: Row[] = [];
let dbCounter = 0;

export async function withDatabase<T>(system: System, body: (url: string, sql: pg.Pool) => Promise<T>): Promise<T> {
  const name = `backie_bench_${process.pid}_${dbCounter++}`;
  const url = await createDatabase(name);
  const sql = new pg.Pool({ connectionString: url, max: 2 });
  // The database is dropped WITH (FORCE): a connection of this pool still closing then gets a
  // termination, which is no error of the scenario's.
  sql.on("error", () => {});
  try {
    await system.install(url);
    return await body(url, sql);
  } finally {
    await sql.end();
    await dropDatabase(name);
  }
}

export /** Runs `body` with a hard bound; a scenario that overruns is reported, not waited for. */
async function bounded<T>(label: string, ms: number, body: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${label}: over its ${ms / 1000} s bound`)), ms)));
  try {
    return await Promise.race([body(), late]);
  } finally {
    clearTimeout(timer);
  }
}

export /** Polls until nothing is pending: slowly while much is left (a count is not free), then closely. */
async function waitDrained(system: System, sql: pg.Pool, boundMs: number): Promise<number> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const pending = await system.pending(sql);
    if (pending === 0) return Date.now();
    if (Date.now() > deadline) throw new Error(`${system.name}: tasks still pending after ${boundMs / 1000} s`);
    await sleep(pending > 2_000 ? 50 : 2);
  }
}

export async function fill(system: System, url: string, n: number, stamp = false): Promise<void> {
  const client = await system.client(url);
  try {
    for (let i = 0; i < n; i += 1_000) {
      await client.enqueueMany(Array.from({ length: Math.min(1_000, n - i) }, (_, k) => (stamp ? { i: i + k, t: Date.now() } : { i: i + k })));
    }
  } finally {
    await client.close();
  }
}

export function record(row: Row): void {
  rows.push(row);
  console.log(renderTable([row], false));
}

export /** Waits for a worker process to exit by itself (it writes its profile then), else kills it. */
async function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await Promise.race([gone, sleep(ms)]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

