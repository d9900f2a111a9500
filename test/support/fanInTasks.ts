/**
 * Tasks for the fan-in tests (queue "fan"): `fan_parent` fans out `n` `fan_child` runs and
 * continues with `fan_done`, which records its payload (the children's outcomes) in `fan_done_runs`.
 * A child returns { i, pid }; it waits until `finishAt` (epoch ms) when given, so that children in
 * different processes finish at the same instant; `fail` lists children that throw.
 */
import type pg from "pg";
import { defineTask, type FanInPayload, type RegisteredTask } from "../../src/index.js";
import { registered } from "./tasks.js";

export interface FanParent {
  n: number;
  key?: string;
  finishAt?: number;
  sleepMs?: number;
  fail?: number[];
  /** Children that sleep `sleepMs` (all when not given). */
  slow?: number[];
  onChildFailure?: "fail" | "ignore";
  /** Child i goes to queue fan_<i % 2> (a worker serves one of them: children split by process). */
  split?: boolean;
  /** Fan out twice under the same key, as a rerun would. */
  twice?: boolean;
}
interface FanChild {
  i: number;
  finishAt?: number;
  sleepMs?: number;
  fail?: boolean;
}
interface ChildResult {
  i: number;
  pid: number;
}
type FanDone = FanInPayload<{ label: string }, ChildResult>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export function fanInRegistry(sql: pg.Pool): RegisteredTask[] {
  const child = defineTask({
    // Retries: a child rescued from a killed worker runs again.
    name: "fan_child", queue: "fan", maxRetries: 2, backoff: { kind: "none" },
    async run(p: FanChild): Promise<ChildResult> {
      if (p.finishAt !== undefined) await sleep(p.finishAt - Date.now());
      if (p.sleepMs !== undefined) await sleep(p.sleepMs);
      if (p.fail) throw new Error(`child ${p.i} failed on purpose`);
      return { i: p.i, pid: process.pid };
    },
  });
  const done = defineTask({
    name: "fan_done", queue: "fan", maxRetries: 0,
    async run(p: FanDone, ctx) {
      await sql.query("INSERT INTO fan_done_runs (task_id, label, payload, pid) VALUES ($1, $2, $3, $4)", [ctx.task.id, p.label, JSON.stringify(p), process.pid]);
    },
  });
  const parent = defineTask({
    name: "fan_parent", queue: "fan", maxRetries: 0,
    async run(p: FanParent, ctx) {
      const enqueue = ctx.enqueue as unknown as Record<string, { spec(p: unknown, o?: { queue: string }): never; after(p: unknown): never }>;
      const fanOut = () => ctx.fanIn(
        enqueue.fanDone!.after({ label: `${ctx.task.id}:${p.key ?? "default"}` }),
        Array.from({ length: p.n }, (_, i) => enqueue.fanChild!.spec({
          i, ...(p.finishAt === undefined ? {} : { finishAt: p.finishAt }),
          ...(p.sleepMs === undefined || (p.slow && !p.slow.includes(i)) ? {} : { sleepMs: p.sleepMs }),
          ...(p.fail?.includes(i) ? { fail: true } : {}),
        }, p.split ? { queue: `fan_${i % 2}` } : undefined)),
        { ...(p.key === undefined ? {} : { key: p.key }), ...(p.onChildFailure ? { onChildFailure: p.onChildFailure } : {}) },
      );
      const first = await fanOut();
      if (p.twice) {
        const again = await fanOut();
        await sql.query("INSERT INTO fan_reruns (first, again) VALUES ($1, $2)", [JSON.stringify(first), JSON.stringify(again)]);
      }
    },
  });
  return [registered(parent, {}, "fanParent"), registered(child, {}, "fanChild"), registered(done, {}, "fanDone")];
}

export const FAN_TABLES = `
  CREATE TABLE fan_done_runs (task_id bigint NOT NULL, label text NOT NULL, payload jsonb NOT NULL, pid integer NOT NULL);
  CREATE TABLE fan_reruns (first jsonb NOT NULL, again jsonb NOT NULL);`;
