/**
 * Nothing a single task does, and no row anyone can insert, takes a worker process down: each
 * such task fails on its own (kind `internal` or `invalid_payload`, never retried) and the worker
 * goes on with the rest.
 */
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { eventually, testDatabase } from "../support/db.js";
import { spawnWorker } from "../support/processes.js";

const db = await testDatabase("poison");
const SCRIPT = fileURLToPath(new URL("../support/poisonWorker.ts", import.meta.url));

/** A comment thread `levels` deep, as JSON text (built without recursion). */
function threadJson(levels: number): string {
  const at = '"2026-01-02T03:04:05.000Z"';
  return `${`{"at":${at},"replies":[`.repeat(levels)}{"at":${at},"replies":[]}${"]}".repeat(levels)}`;
}

async function insertRaw(taskName: string, payloadJson: string): Promise<string> {
  const client = await db.sql.connect();
  try {
    // PostgreSQL's JSON parser recurses too: let it take deep payloads, as a superuser could.
    await client.query("SET max_stack_depth = '7MB'");
    const { rows } = await client.query(
      "INSERT INTO backie_tasks (task_name, queue_name, payload, max_retries) VALUES ($1, 'poison', $2::jsonb, 0) RETURNING id",
      [taskName, payloadJson],
    );
    return rows[0].id as string;
  } finally {
    await client.query("RESET max_stack_depth").catch(() => {});
    client.release();
  }
}

/** The deepest thread up to `levels` that PostgreSQL will store. */
async function insertDeepest(levels: number): Promise<{ id: string; levels: number }> {
  for (let n = levels; ; n = Math.floor(n / 2)) {
    try {
      return { id: await insertRaw("thread", threadJson(n)), levels: n };
    } catch (error) {
      if ((error as { code?: string }).code !== "54001" || n < 1_000) throw error;
    }
  }
}

it("survives deep payloads, unstorable errors, undescribable throws, stray timers and throwing event handlers", async () => {
  const shallow = await insertRaw("thread", threadJson(100));
  const deep2k = await insertRaw("thread", threadJson(2_000));
  const deepest = await insertDeepest(100_000);
  expect(deepest.levels).toBeGreaterThanOrEqual(10_000);
  const explodes = await insertRaw("explodes", "{}");
  const undescribable = await insertRaw("undescribable", "{}");
  const leaves = await insertRaw("leaves", "{}");
  const oks = await Promise.all(Array.from({ length: 20 }, () => insertRaw("ok", "{}")));

  const worker = spawnWorker({ DATABASE_URL: db.url, BACKIE_LOG_FORMAT: "json" }, SCRIPT);
  let exitCode: number | null | undefined;
  void worker.exited.then((code) => (exitCode = code));
  try {
    await Promise.race([worker.ready, worker.exited.then(() => { throw new Error(`worker exited: ${worker.lines.join("\n")}`); })]);
    const all = [shallow, deep2k, deepest.id, explodes, undescribable, leaves, ...oks];
    await eventually("every task to finish", async () => {
      const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE id = ANY($1) AND state IN ('ready', 'running')", [all]);
      return rows[0].n === 0;
    }, 60_000);
    expect(exitCode).toBeUndefined();

    const { rows } = await db.sql.query("SELECT id, task_name, state, attempts, errors FROM backie_tasks WHERE id = ANY($1)", [all]);
    type Row = { id: string; state: string; attempts: number; errors: Array<{ kind: string; message: string }> };
    const byId = new Map((rows as Row[]).map((r) => [r.id, r]));
    // Succeeded (removeDone deletes them): the shallow thread was revived, the rest ran.
    for (const id of [shallow, leaves, ...oks]) expect(byId.get(id)).toBeUndefined();
    for (const id of [deep2k, deepest.id]) {
      expect(byId.get(id)).toMatchObject({ state: "failed", attempts: 1, errors: [{ kind: "invalid_payload" }] });
      expect(byId.get(id)!.errors[0]!.message).toMatch(/nests deeper than 1000 levels/);
    }
    const exploded = byId.get(explodes);
    expect(exploded).toMatchObject({ state: "failed", attempts: 1, errors: [{ kind: "error" }] });
    expect(exploded!.errors[0]!.message).toContain("bad \uFFFD text \uFFFD");
    expect(exploded!.errors[0]!.message.length).toBeLessThan(5_000);
    expect(byId.get(undescribable)).toMatchObject({ state: "failed", errors: [{ kind: "error" }] });

    await eventually("the stray errors to be logged", async () =>
      worker.lines.some((l) => l.includes("uncaught exception")) && worker.lines.some((l) => l.includes("unhandled promise rejection")));
    // Every log line is one JSON object.
    for (const line of worker.lines.filter((l) => l !== "ready")) expect(() => JSON.parse(line), line).not.toThrow();
  } finally {
    worker.child.kill("SIGTERM");
  }
  expect(await worker.exited).toBe(0);
}, 120_000);
