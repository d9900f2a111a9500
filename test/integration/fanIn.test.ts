import { afterAll, beforeAll, expect, it } from "vitest";
import { WorkerPool, type ChildOutcome, type NewTask } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { FAN_TABLES, fanInRegistry, type FanParent } from "../support/fanInTasks.js";
import { NO_APP, registryOf } from "../support/tasks.js";

const db = await testDatabase("fanIn");
const store = db.store();
let pool: WorkerPool;

beforeAll(async () => {
  await db.sql.query(FAN_TABLES);
  pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(...fanInRegistry(db.sql)), queues: { fan: { numWorkers: 10, pullIntervalMs: 100 } } });
  await pool.start();
});
afterAll(() => pool.stop());

function parent(payload: FanParent): NewTask {
  return { taskName: "fan_parent", queueName: "fan", payload, priority: 0, uniqueKey: null, maxRetries: 0, runAt: null, delayMs: null };
}

interface Done {
  label: string;
  children: Array<ChildOutcome<{ i: number; pid: number }>>;
}

async function continuationOf(parentId: string, key = "default"): Promise<Done> {
  const label = `${parentId}:${key}`;
  await eventually(`the continuation of ${label}`, async () => (await db.sql.query("SELECT 1 FROM fan_done_runs WHERE label = $1", [label])).rowCount! > 0);
  const { rows } = await db.sql.query<{ payload: Done }>("SELECT payload FROM fan_done_runs WHERE label = $1", [label]);
  expect(rows.length).toBe(1);
  return rows[0]!.payload;
}

it("resumes once, with every child's result in the order given; the children's rows go", async () => {
  const [p] = await store.insertTasks([parent({ n: 6 })]);
  const done = await continuationOf(p!.id);
  expect(done.children.map((c) => c.state)).toEqual(Array(6).fill("done"));
  expect(done.children.map((c) => (c.state === "done" ? c.result.i : -1))).toEqual([0, 1, 2, 3, 4, 5]);
  expect(done.children.every((c) => c.task === "fan_child" && /^\d+$/.test(c.id))).toBe(true);
  const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE id = ANY($1::bigint[])", [done.children.map((c) => c.id)]);
  expect(rows[0].n).toBe(0);
  const fan = await db.sql.query("SELECT pending, continuation_id FROM backie_fan_ins WHERE parent_id = $1", [p!.id]);
  expect(fan.rows[0].pending).toBe(0);
  expect(fan.rows[0].continuation_id).not.toBeNull();
});

it("a failed child: `fail` creates the continuation failed, naming it; `ignore` runs it with the failure", async () => {
  const [failing, ignoring] = await store.insertTasks([parent({ n: 3, fail: [1] }), parent({ n: 3, fail: [2], onChildFailure: "ignore" })]);
  const ignored = await continuationOf(ignoring!.id);
  expect(ignored.children.map((c) => c.state)).toEqual(["done", "done", "failed"]);
  expect(ignored.children[2]).toMatchObject({ state: "failed", error: "child 2 failed on purpose" });
  await eventually("the failed continuation", async () => {
    const { rows } = await db.sql.query("SELECT t.state FROM backie_fan_ins f JOIN backie_tasks t ON t.id = f.continuation_id WHERE f.parent_id = $1", [failing!.id]);
    return rows[0]?.state === "failed";
  });
  const { rows } = await db.sql.query("SELECT t.errors, t.payload FROM backie_fan_ins f JOIN backie_tasks t ON t.id = f.continuation_id WHERE f.parent_id = $1", [failing!.id]);
  expect(rows[0].errors[0]).toMatchObject({ kind: "children_failed" });
  expect(rows[0].errors[0].message).toMatch(/^not run: child \d+ \(fan_child\) failed: child 1 failed on purpose$/);
  expect(rows[0].payload.children).toHaveLength(3);
  // The failed child stays for a look; the done ones went with the fan-in.
  const kept = await db.sql.query("SELECT state FROM backie_tasks WHERE id = ANY($1::bigint[])", [rows[0].payload.children.map((c: { id: string }) => c.id)]);
  expect(kept.rows.map((r) => r.state)).toEqual(["failed"]);
});

it("a rerun of the parent fans out nothing new; no children: the continuation comes at once", async () => {
  const [twice, none] = await store.insertTasks([parent({ n: 2, twice: true, key: "k1" }), parent({ n: 0 })]);
  await continuationOf(twice!.id, "k1");
  // The parent records both calls after its second: the continuation may run before that.
  await eventually("the parent's record of both calls", async () => (await db.sql.query("SELECT 1 FROM fan_reruns")).rowCount === 1);
  const { rows } = await db.sql.query("SELECT first, again FROM fan_reruns");
  expect(rows[0].first.created).toBe(true);
  expect(rows[0].again).toEqual({ ...rows[0].first, created: false });
  const { rows: kids } = await db.sql.query("SELECT count(*)::int AS n FROM backie_fan_in_children c JOIN backie_fan_ins f ON f.id = c.fan_in_id WHERE f.parent_id = $1", [twice!.id]);
  expect(kids[0].n).toBe(2);
  expect((await continuationOf(none!.id)).children).toEqual([]);
});

it("a failed child retried before its fan-in resumed is waited for again, and its success counts", async () => {
  // Child 1 sleeps long enough for the test to see child 0 fail and retry it, even on a busy machine.
  const [p] = await store.insertTasks([parent({ n: 2, fail: [0], sleepMs: 6_000, slow: [1] })]);
  const failedChild = async () => (await db.sql.query<{ id: string }>(
    "SELECT t.id FROM backie_tasks t JOIN backie_fan_in_children c ON c.child_id = t.id JOIN backie_fan_ins f ON f.id = c.fan_in_id WHERE f.parent_id = $1 AND t.state = 'failed'", [p!.id])).rows[0]?.id;
  await eventually("the failed child", async () => (await failedChild()) !== undefined);
  const id = (await failedChild())!;
  // The fix: the retried child no longer fails. Child 1 is still sleeping.
  await db.sql.query("UPDATE backie_tasks SET payload = payload - 'fail' WHERE id = $1", [id]);
  expect(await store.retryTask(id)).toBe(true);
  const done = await continuationOf(p!.id);
  expect(done.children.map((c) => c.state)).toEqual(["done", "done"]);
  const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM fan_done_runs WHERE label = $1", [`${p!.id}:default`]);
  expect(rows[0].n).toBe(1);
});

it("ctx.fanIn refuses what it cannot write, in one line, and writes nothing", async () => {
  const [p] = await store.insertTasks([parent({ n: 1, key: "" })]);
  await eventually("the parent to fail", async () => (await store.findTasks([p!.id]))[0]?.state === "failed");
  const [stored] = await store.findTasks([p!.id]);
  expect(stored!.errors.at(-1)!.message).toBe("ctx.fanIn: key must not be empty");
  const { rows } = await db.sql.query("SELECT count(*)::int AS n FROM backie_fan_ins WHERE parent_id = $1", [p!.id]);
  expect(rows[0].n).toBe(0);
});
