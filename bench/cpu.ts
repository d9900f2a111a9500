/**
 * Where a process run's CPU goes (issue 24): the worker processes' own time and the time of the
 * PostgreSQL backends serving the run's database, read from /proc at the start signal and once
 * the last task is written. Backends that connect during the run count from zero; one that
 * exits before the end is missed (the pools keep theirs). Linux only: elsewhere nothing is said.
 */
import { readFileSync } from "node:fs";
import type pg from "pg";

const TICK_MS = 10; // USER_HZ is 100 on Linux, whatever the kernel's HZ.

/** utime + stime of a process (all its threads), in ms; undefined when /proc cannot tell. */
function cpuMs(pid: number, thread?: number): number | undefined {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** A worker's JavaScript thread (its main thread, whose id is the pid): the rest is V8's
 * compiler and GC helpers and libuv's pool. */
const mainThreadMs = (pid: number): number | undefined => cpuMs(pid, pid);

async function backendPids(sql: pg.Pool): Promise<number[]> {
  const { rows } = await sql.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
  return rows.map((r) => r.pid);
}

export interface CpuSplit {
  workerMs: number;
  /** Of workerMs, the JavaScript (main) thread's. */
  workerMainMs: number;
  postgresMs: number;
}

/** Starts counting now; the returned function gives the CPU used since, or undefined off Linux. */
export async function cpuMeter(sql: pg.Pool, workers: number[]): Promise<() => Promise<CpuSplit | undefined>> {
  const startWorkers = workers.map((pid) => cpuMs(pid));
  const startMains = workers.map(mainThreadMs);
  const startBackends = new Map((await backendPids(sql)).map((pid) => [pid, cpuMs(pid)] as const));
  return async () => {
    const pids = await backendPids(sql);
    const workerNow = workers.map((pid) => cpuMs(pid));
    const mainNow = workers.map(mainThreadMs);
    if ([...workerNow, ...startWorkers, ...mainNow, ...startMains].some((t) => t === undefined)) return undefined;
    const since = (now: Array<number | undefined>, start: Array<number | undefined>): number => now.reduce((sum: number, t, i) => sum + t! - start[i]!, 0);
    const workerMs = since(workerNow, startWorkers);
    const workerMainMs = since(mainNow, startMains);
    let postgresMs = 0;
    for (const pid of pids) {
      const now = cpuMs(pid);
      if (now === undefined) continue;
      postgresMs += now - (startBackends.get(pid) ?? 0);
    }
    return { workerMs, workerMainMs, postgresMs };
  };
}

/** "CPU µs/task: worker 11.2 (JS thread 8.4), PostgreSQL 20.1; statements per 1,000 tasks: 2.7". */
export function processNote(split: CpuSplit | undefined, tasks: number, statements?: number): string | undefined {
  if (tasks === 0) return undefined;
  // Tenths: a tick is 10 ms, 0.1 µs a task over 100,000 tasks, and changes to the hot path are
  // often a few tenths.
  const us = (ms: number): string => ((ms * 1000) / tasks).toFixed(1);
  const parts = [
    ...(split ? [`CPU µs/task: worker ${us(split.workerMs)} (JS thread ${us(split.workerMainMs)}), PostgreSQL ${us(split.postgresMs)}`] : []),
    ...(statements === undefined ? [] : [`statements per 1,000 tasks: ${((statements * 1000) / tasks).toFixed(1)}`]),
  ];
  return parts.length === 0 ? undefined : parts.join("; ");
}
