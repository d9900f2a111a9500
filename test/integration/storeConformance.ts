import { describe, expect, it } from "vitest";
import type { ExpiredTasks, NewTask, TaskStore } from "../../src/store/taskStore.js";
import type { RetentionMode, TaskErrorRecord } from "../../src/types.js";
import type { WorkerEvent } from "../../src/worker/events.js";
import { RESERVATION_LAPSES_FORGIVEN } from "../../src/retryPolicy.js";
import { rescuer } from "../../src/worker/maintenance.js";

/**
 * The behaviour every `TaskStore` must have. `PgTaskStore` runs it in pgTaskStore.test.ts; a new
 * backend adds one line calling this with its own factory.
 */
export function storeConformance(label: string, makeStore: () => Promise<TaskStore>): void {
  const task = (overrides: Partial<NewTask> = {}): NewTask => ({
    taskName: "t", queueName: `q_${Math.random().toString(36).slice(2)}`, payload: { n: 1 }, priority: 0,
    uniqueKey: null, maxRetries: 3, runAt: null, delayMs: null, ...overrides,
  });
  const claim = (store: TaskStore, queueName: string, limit = 10, leaseMs = 30_000, taskNames = ["t"]) =>
    store.claimTasks({ queueName, taskNames, limit, owner: "test-owner", leaseMs });
  /** Claimed and started, as a worker's lease keeper confirms a run: its lease ends in `leaseMs`. */
  const claimStarted = async (store: TaskStore, queueName: string, leaseMs: number) => {
    const claimed = await claim(store, queueName, 10, 60_000);
    expect([...await store.extendLeases(claimed, leaseMs, { confirm: true })]).toEqual([]);
    return claimed;
  };
  const error = (attempt: number): TaskErrorRecord => ({ attempt, kind: "error", message: `boom ${attempt}`, at: new Date().toISOString() });

  // Queue names unique to this run, so that suites sharing one database do not see each other.
  const run = Math.random().toString(36).slice(2, 8);
  const qn = (name: string): string => `${name}_${run}`;

  describe(`${label}: TaskStore conformance`, () => {
    describe("insertTasks", () => {
      it("stores one task as ready and returns its id", async () => {
        const store = await makeStore();
        const [inserted] = await store.insertTasks([task({ payload: { hello: "world" } })]);
        expect(inserted!.deduplicated).toBe(false);
        const [stored] = await store.findTasks([inserted!.id]);
        expect(stored).toMatchObject({ state: "ready", payload: { hello: "world" }, attempts: 0, maxRetries: 3, errors: [] });
      });

      it("stores many tasks in input order", async () => {
        const store = await makeStore();
        const rows = Array.from({ length: 50 }, (_, i) => task({ queueName: qn("many"), payload: { i } }));
        const inserted = await store.insertTasks(rows);
        const stored = await store.findTasks(inserted.map((r) => r.id));
        const byId = new Map(stored.map((s) => [s.id, s]));
        expect(inserted.map((r) => (byId.get(r.id)!.payload as { i: number }).i)).toEqual(rows.map((_, i) => i));
      });

      it("returns the existing task for a unique key while it is ready or running, and frees the key after", async () => {
        const store = await makeStore();
        const q = qn("unique");
        const [first] = await store.insertTasks([task({ queueName: q, uniqueKey: qn("k") })]);
        const [second] = await store.insertTasks([task({ queueName: q, uniqueKey: qn("k") })]);
        expect(second).toEqual({ id: first!.id, deduplicated: true });
        const [claimed] = await claim(store, q);
        const [third] = await store.insertTasks([task({ queueName: q, uniqueKey: qn("k") })]);
        expect(third).toEqual({ id: first!.id, deduplicated: true });
        await store.completeTasks([{ id: claimed!.id, token: claimed!.token, outcome: "done" }]);
        const [fourth] = await store.insertTasks([task({ queueName: q, uniqueKey: qn("k") })]);
        expect(fourth!.deduplicated).toBe(false);
        expect(fourth!.id).not.toBe(first!.id);
      });

      it("keeps a long unique key whole (no padding or truncation)", async () => {
        const store = await makeStore();
        const key = `${qn("long")}-${"x".repeat(300)}`;
        const [first] = await store.insertTasks([task({ uniqueKey: key })]);
        const [other] = await store.insertTasks([task({ uniqueKey: `${key}y` })]);
        expect(other!.deduplicated).toBe(false);
        expect((await store.findTasks([first!.id]))[0]!.uniqueKey).toBe(key);
      });

      it("schedules with delayMs and runAt on the store's clock", async () => {
        const store = await makeStore();
        const q = qn("scheduled");
        await store.insertTasks([task({ queueName: q, delayMs: 60_000 }), task({ queueName: q, runAt: new Date(Date.now() + 60_000) })]);
        expect(await claim(store, q)).toEqual([]);
        await store.insertTasks([task({ queueName: q, runAt: new Date(Date.now() - 1_000) })]);
        expect(await claim(store, q)).toHaveLength(1);
      });
    });

    describe("claimTasks", () => {
      it("claims by queue, name, priority and age, and takes a lease", async () => {
        const store = await makeStore();
        const q = qn("claim");
        const [low] = await store.insertTasks([task({ queueName: q, priority: 0 })]);
        const [high] = await store.insertTasks([task({ queueName: q, priority: 5 })]);
        await store.insertTasks([task({ queueName: q, taskName: "unknown_to_this_worker" })]);
        await store.insertTasks([task({ queueName: qn("other") })]);
        const claimed = await claim(store, q);
        expect(claimed.map((c) => c.id)).toEqual([high!.id, low!.id]);
        expect(claimed[0]).toMatchObject({ attempt: 1, taskName: "t", queueName: q });
        const [stored] = await store.findTasks([high!.id]);
        expect(stored).toMatchObject({ state: "running", leaseOwner: "test-owner", leaseToken: claimed[0]!.token, leaseConfirmed: false });
        expect(stored!.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 20_000);
      });

      it("claims from a start: higher priorities, its priority from its due time on, lower priorities; reports the head", async () => {
        const store = await makeStore();
        const q = qn("start");
        const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
        const [early, late, high, low] = await store.insertTasks([
          task({ queueName: q, runAt: at(30) }), task({ queueName: q, runAt: at(10) }),
          task({ queueName: q, runAt: at(40), priority: 5 }), task({ queueName: q, runAt: at(50), priority: -5 }),
        ]);
        expect(await store.findClaimHead({ queueName: q, taskNames: ["t"] })).toEqual({ head: { priority: 5, scheduledAtMs: expect.any(Number) }, readMs: expect.any(Number) });
        const start = { priority: 0, scheduledAtMs: at(20).getTime() };
        const claimed = await store.claimTasks({ queueName: q, taskNames: ["t"], limit: 10, owner: "test-owner", leaseMs: 30_000, start });
        // The task due before the start, at its priority, is left for a claim from the head.
        expect(claimed.map((c) => c.id)).toEqual([high!.id, late!.id, low!.id]);
        const { head } = await store.findClaimHead({ queueName: q, taskNames: ["t"] });
        expect(head!.priority).toBe(0);
        expect(Math.abs(head!.scheduledAtMs - at(30).getTime())).toBeLessThan(5_000);
        expect((await claim(store, q)).map((c) => c.id)).toEqual([early!.id]);
        // None due: still a read, and its time (the walk over dead entries is what it times).
        const none = await store.findClaimHead({ queueName: q, taskNames: ["t"] });
        expect(none.head).toBeNull();
        expect(none.readMs).toBeGreaterThanOrEqual(0);
        expect(none.readMs).toBeLessThan(1_000);
        expect((await store.findClaimHead({ queueName: q, taskNames: [] })).head).toBeNull();
      });

      it("never gives one task to two concurrent claims", async () => {
        const store = await makeStore();
        const q = qn("race");
        await store.insertTasks(Array.from({ length: 200 }, () => task({ queueName: q })));
        const batches = await Promise.all(Array.from({ length: 8 }, () => claim(store, q, 40)));
        const ids = batches.flat().map((c) => c.id);
        expect(ids).toHaveLength(200);
        expect(new Set(ids).size).toBe(200);
      });
    });

    describe("completeTasks", () => {
      it("removes, finishes, retries and gives back, each only while the lease is held", async () => {
        const store = await makeStore();
        const q = qn("complete");
        await store.insertTasks(Array.from({ length: 6 }, () => task({ queueName: q })));
        const [a, b, c, d, e, f] = await claim(store, q);
        const discarded = await store.completeTasks([
          { id: a!.id, token: a!.token, outcome: "remove" },
          { id: b!.id, token: b!.token, outcome: "done" },
          { id: c!.id, token: c!.token, outcome: "retry", error: error(1), delayMs: 60_000 },
          { id: d!.id, token: d!.token, outcome: "failed", error: error(1), remove: false },
          { id: e!.id, token: e!.token + 1, outcome: "done" },
          { id: f!.id, token: f!.token + 1, outcome: "remove" },
        ]);
        expect([...discarded].sort()).toEqual([e!.id, f!.id].sort());
        expect(await store.completeTasks([{ id: f!.id, token: f!.token + 1, outcome: "remove" }])).toEqual(new Set([f!.id]));
        expect((await store.findTasks([f!.id]))[0]).toMatchObject({ state: "running" });
        const stored = new Map((await store.findTasks([a!.id, b!.id, c!.id, d!.id, e!.id])).map((s) => [s.id, s]));
        expect(stored.has(a!.id)).toBe(false);
        expect(stored.get(b!.id)).toMatchObject({ state: "done", leaseOwner: null });
        expect(stored.get(c!.id)).toMatchObject({ state: "ready", attempts: 1, errors: [{ attempt: 1, message: "boom 1" }] });
        expect(stored.get(c!.id)!.scheduledAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
        expect(stored.get(d!.id)).toMatchObject({ state: "failed", errors: [{ message: "boom 1" }] });
        expect(stored.get(e!.id)).toMatchObject({ state: "running" });
      });

      it("refuses an id that is not a task id, and touches no task for it", async () => {
        const store = await makeStore();
        const q = qn("badid");
        await store.insertTasks([task({ queueName: q }), task({ queueName: q })]);
        const [a, b] = await claim(store, q);
        for (const id of [`${a!.id},${b!.id}`, `{${b!.id}}`, "x", "", `${b!.id} `]) {
          await expect(store.completeTasks([{ id, token: b!.token, outcome: "remove" }])).rejects.toThrow();
          await expect(store.completeTasks([{ id, token: b!.token, outcome: "done" }])).rejects.toThrow();
          await expect(store.extendLeases([{ id, token: b!.token }], 60_000)).rejects.toThrow();
        }
        const stored = await store.findTasks([a!.id, b!.id]);
        expect(stored.map((t) => t.state)).toEqual(["running", "running"]);
      });

      it("gives a task back without counting the attempt", async () => {
        const store = await makeStore();
        const q = qn("giveback");
        const [inserted] = await store.insertTasks([task({ queueName: q })]);
        const [claimed] = await claim(store, q);
        await store.completeTasks([{ id: claimed!.id, token: claimed!.token, outcome: "giveBack" }]);
        const [stored] = await store.findTasks([inserted!.id]);
        expect(stored).toMatchObject({ state: "ready", attempts: 0, errors: [] });
        const [again] = await claim(store, q);
        expect(again!.attempt).toBe(1);
      });
    });

    describe("leases", () => {
      it("extends only the leases still held", async () => {
        const store = await makeStore();
        const q = qn("extend");
        await store.insertTasks([task({ queueName: q }), task({ queueName: q })]);
        const [a, b] = await claim(store, q, 10, 60_000);
        const lost = await store.extendLeases([a!, { id: b!.id, token: b!.token + 1 }], 60_000);
        expect([...lost]).toEqual([b!.id]);
      });

      it("finds expired leases oldest first, within the limit, and says how long the database took even when none expired", async () => {
        const store = await makeStore();
        const q = qn("expired_scan");
        await store.insertTasks([task({ queueName: q }), task({ queueName: q }), task({ queueName: q })]);
        const claimed = await claim(store, q, 3, 60_000);
        expect(claimed).toHaveLength(3);
        // Leases of 1 ms, renewed last to first: the last claimed expires first.
        const reversed = [...claimed].reverse();
        for (const t of reversed) {
          await store.extendLeases([t], 1, { confirm: true });
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        const ours = (scan: ExpiredTasks) => scan.tasks.filter((t) => claimed.some((c) => c.id === t.id)).map((t) => t.id);
        const all = await store.findExpired(1_000);
        expect(ours(all)).toEqual(reversed.map((t) => t.id));
        expect(all.tasks.every((t, i) => i === 0 || all.tasks[i - 1]!.leaseExpiresAt <= t.leaseExpiresAt)).toBe(true);
        expect(all.readMs === null || (Number.isFinite(all.readMs) && all.readMs >= 0)).toBe(true);
        expect((await store.findExpired(1)).tasks).toHaveLength(1);
        await store.extendLeases(claimed, 60_000, { confirm: true });
        const none = await store.findExpired(1_000);
        expect(ours(none)).toEqual([]);
        expect(none.readMs === null || (Number.isFinite(none.readMs) && none.readMs >= 0)).toBe(true);
      });

      it("rescues expired leases: back to ready with the attempt counted, or failed when retries are spent", async () => {
        const store = await makeStore();
        const q = qn("rescue");
        const [retryable] = await store.insertTasks([task({ queueName: q, maxRetries: 1 })]);
        const [spent] = await store.insertTasks([task({ queueName: q, maxRetries: 0 })]);
        const [alive] = await store.insertTasks([task({ queueName: `${q}_alive` })]);
        await claimStarted(store, q, 1);
        await claimStarted(store, `${q}_alive`, 60_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const ours = new Set([retryable!.id, spent!.id, alive!.id]);
        const rescued = (await rescueOnce(store)).filter((r) => ours.has(r.id));
        expect(rescued.map((r) => [r.id, r.state]).sort()).toEqual([[retryable!.id, "ready"], [spent!.id, "failed"]].sort());
        const stored = new Map((await store.findTasks([retryable!.id, spent!.id, alive!.id])).map((s) => [s.id, s]));
        expect(stored.get(retryable!.id)).toMatchObject({ state: "ready", attempts: 1, errors: [{ kind: "lease_expired", attempt: 1 }] });
        expect(stored.get(spent!.id)).toMatchObject({ state: "failed", attempts: 1 });
        expect(stored.get(alive!.id)).toMatchObject({ state: "running" });
      });

      it("deletes rescued tasks with spent retries in the queues given as removeAll, and only those", async () => {
        const store = await makeStore();
        const q = qn("rescue_rm");
        const [spentHere] = await store.insertTasks([task({ queueName: q, maxRetries: 0 })]);
        const [retryableHere] = await store.insertTasks([task({ queueName: q, maxRetries: 1 })]);
        const [spentElsewhere] = await store.insertTasks([task({ queueName: `${q}_kept`, maxRetries: 0 })]);
        await claimStarted(store, q, 1);
        await claimStarted(store, `${q}_kept`, 1);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const ours = new Set([spentHere!.id, retryableHere!.id, spentElsewhere!.id]);
        const rescued = (await rescueOnce(store, (queue) => (queue === q ? "removeAll" : "removeDone"))).filter((r) => ours.has(r.id));
        expect(rescued.map((r) => [r.id, r.state, r.removed]).sort()).toEqual([
          [spentHere!.id, "failed", true], [retryableHere!.id, "ready", false], [spentElsewhere!.id, "failed", false],
        ].sort());
        const stored = await store.findTasks([...ours]);
        expect(stored.map((s) => [s.id, s.state]).sort()).toEqual([[retryableHere!.id, "ready"], [spentElsewhere!.id, "failed"]].sort());
      });

      it("gives back the attempt of a reservation that lapsed unconfirmed, three times; the fourth counts", async () => {
        const store = await makeStore();
        const q = qn("lapse");
        const [inserted] = await store.insertTasks([task({ queueName: q, maxRetries: 0 })]);
        for (let lapse = 1; lapse <= RESERVATION_LAPSES_FORGIVEN; lapse++) {
          // Claimed, renewed as a reservation (never confirmed), and left to expire.
          const claimed = await claim(store, q, 10, 60_000);
          expect([...await store.extendLeases(claimed, 1)]).toEqual([]);
          await new Promise((resolve) => setTimeout(resolve, 10));
          expect((await rescueOnce(store)).filter((r) => r.id === inserted!.id)).toMatchObject([{ state: "ready", attempts: 0 }]);
          const [stored] = await store.findTasks([inserted!.id]);
          expect(stored).toMatchObject({ state: "ready", attempts: 0 });
          expect(stored!.errors.map((e) => e.kind)).toEqual(Array(lapse).fill("reservation_expired"));
        }
        await claim(store, q, 10, 1);
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect((await rescueOnce(store)).filter((r) => r.id === inserted!.id)).toMatchObject([{ state: "failed", attempts: 1 }]);
        const [stored] = await store.findTasks([inserted!.id]);
        expect(stored).toMatchObject({ state: "failed", attempts: 1 });
        expect(stored!.errors.at(-1)).toMatchObject({ kind: "lease_expired", attempt: 1 });
      });

      it("confirms a run for good: a later reservation renewal does not make it a reservation again, a new claim starts unconfirmed", async () => {
        const store = await makeStore();
        const q = qn("confirm");
        const [inserted] = await store.insertTasks([task({ queueName: q, maxRetries: 5 })]);
        const claimed = await claimStarted(store, q, 60_000);
        await store.extendLeases(claimed, 1);
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect((await rescueOnce(store)).filter((r) => r.id === inserted!.id)).toMatchObject([{ state: "ready", attempts: 1 }]);
        // Retried: the next claim is a reservation again, so its lapse is forgiven.
        await claim(store, q, 10, 1);
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect((await rescueOnce(store)).filter((r) => r.id === inserted!.id)).toMatchObject([{ state: "ready", attempts: 1 }]);
        const [stored] = await store.findTasks([inserted!.id]);
        expect(stored!.errors.map((e) => e.kind)).toEqual(["lease_expired", "reservation_expired"]);
      });
    });

    describe("admin operations", () => {
      it("lists failures with their last error, retries them with fresh attempts, and cancels only ready or running tasks", async () => {
        const store = await makeStore();
        const q = qn("admin");
        const [failing, waiting] = await store.insertTasks([task({ queueName: q, maxRetries: 0 }), task({ queueName: q, delayMs: 60_000 })]);
        const [claimed] = await claim(store, q);
        await store.completeTasks([{ id: claimed!.id, token: claimed!.token, outcome: "failed", error: error(1), remove: false }]);
        const failed = (await store.listFailed(100)).filter((f) => f.queueName === q);
        expect(failed).toMatchObject([{ id: failing!.id, attempts: 1, lastError: { message: "boom 1" } }]);
        expect(await store.cancelTask(failing!.id)).toBe(null);
        expect(await store.retryTask(failing!.id)).toBe(true);
        expect((await store.findTasks([failing!.id]))[0]).toMatchObject({ state: "ready", attempts: 0, errors: [{ message: "boom 1" }] });
        expect(await store.retryTask(failing!.id)).toBe(false);
        expect(await store.cancelTask(waiting!.id)).toBe("ready");
        expect((await store.findTasks([waiting!.id]))[0]).toMatchObject({ state: "cancelled" });
        expect(await store.retryTask(waiting!.id)).toBe(true);
        expect(await store.cancelTask("987654321")).toBe(null);
      });

      it("lists running tasks longest-held first, with their lease", async () => {
        const store = await makeStore();
        const q = qn("running_list");
        await store.insertTasks([task({ queueName: q })]);
        const [first] = await claim(store, q, 10, 60_000);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.insertTasks([task({ queueName: q })]);
        const [second] = await claim(store, q, 10, 60_000);
        const listed = (await store.listRunning(1_000)).filter((r) => r.queueName === q);
        expect(listed.map((r) => r.id)).toEqual([first!.id, second!.id]);
        expect(listed[0]).toMatchObject({ attempt: 1, leaseOwner: "test-owner" });
        expect(listed[0]!.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 30_000);
        // Claimed until the worker confirms the run (a lease renewal with confirm).
        expect(listed.map((r) => r.confirmed)).toEqual([false, false]);
        await store.extendLeases([first!], 60_000, { confirm: true });
        const after = (await store.listRunning(1_000)).filter((r) => r.queueName === q);
        expect(after.map((r) => [r.id, r.confirmed])).toEqual([[first!.id, true], [second!.id, false]]);
      });

      it("cancels a running task by taking its lease: its heartbeat finds it lost and its result is discarded", async () => {
        const store = await makeStore();
        const q = qn("cancel_running");
        await store.insertTasks([task({ queueName: q }), task({ queueName: q })]);
        const [running, other] = await claim(store, q, 10, 60_000);
        expect(await store.cancelTask(running!.id)).toBe("running");
        expect(await store.cancelTask(running!.id)).toBe(null);
        expect([...(await store.extendLeases([running!, other!], 60_000))]).toEqual([running!.id]);
        const discarded = await store.completeTasks([
          { id: running!.id, token: running!.token, outcome: "remove" },
          { id: other!.id, token: other!.token, outcome: "remove" },
        ]);
        expect([...discarded]).toEqual([running!.id]);
        expect(await store.findTasks([running!.id, other!.id])).toMatchObject([{ id: running!.id, state: "cancelled", leaseOwner: null }]);
      });
    });

    describe("listen", () => {
      it("reports the queue of newly inserted runnable tasks", async () => {
        const store = await makeStore();
        const seen: string[][] = [];
        const subscription = await store.listen((queues) => seen.push(queues), () => {});
        try {
          await store.insertTasks([task({ queueName: qn("notified") })]);
          await store.insertTasks([task({ queueName: qn("later"), delayMs: 60_000 })]);
          const deadline = Date.now() + 5_000;
          while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
          await new Promise((r) => setTimeout(r, 50));
          expect(seen).toEqual([[qn("notified")]]);
        } finally {
          await subscription.close();
        }
      });
    });
  });
}

type Rescued = Extract<WorkerEvent, { type: "task:rescued" }>;

/** One pass of the pool's rescuer (find expired, decide by policy, write fenced) against `store`. */
export async function rescueOnce(store: TaskStore, retention: (queue: string) => RetentionMode = () => "removeDone"): Promise<Rescued[]> {
  const rescued: Rescued[] = [];
  const errors: unknown[] = [];
  await rescuer({
    store, intervalMs: 60_000, retention, onRescued: () => {},
    emit: (e) => (e.type === "task:rescued" ? rescued.push(e) : e.type === "store:error" && errors.push(e.error)),
  }).runOnce();
  if (errors.length > 0) throw errors[0];
  return rescued;
}
