import { expect, it } from "vitest";
import { enqueueFunction } from "../../src/index.js";
import { Wakeups } from "../../src/db/wakeups.js";
import { eventually, testDatabase } from "../support/db.js";
import { validatorFor } from "../support/tasks.js";

const db = await testDatabase("wakeups");
const store = db.store();

it("parallel enqueues wake each queue after their commit, with far fewer notifications than enqueues", async () => {
  const seen: Array<{ queues: string[]; visible: number }> = [];
  const checks: Array<Promise<void>> = [];
  const subscription = await store.listen((queues) => {
    // A wake-up is only worth something if the rows it announces are there to claim.
    checks.push(db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = ANY($1)", [queues])
      .then(({ rows }) => void seen.push({ queues, visible: rows[0]!.n })));
  }, () => {});
  try {
    const enqueue = (queue: string) => enqueueFunction<{ i: number }>(() => store, { name: "w", queue, maxRetries: 0, validate: validatorFor({ type: "object" }) });
    const [a, b] = [enqueue("wake_a"), enqueue("wake_b")];
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < 400) {
        const i = next++;
        await (i % 2 === 0 ? a : b)({ i });
      }
    }));
    await eventually("both queues woken", async () => {
      await Promise.all(checks);
      const woken = new Set(seen.flatMap((s) => s.queues));
      return woken.has("wake_a") && woken.has("wake_b");
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all(checks);
    console.log(`wakeups: 400 enqueues, 16 in flight, 2 queues: ${seen.length} notifications`);
    expect(seen.length).toBeLessThan(200);
    expect(seen.every((s) => s.visible > 0)).toBe(true);
    // The last enqueue of each queue was announced after it committed: every row is visible now.
    const { rows } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name IN ('wake_a', 'wake_b')");
    expect(rows[0]!.n).toBe(400);
  } finally {
    await subscription.close();
  }
});

it("coalesces requests made while a wake-up is on its way, drops a failed one, and settles", async () => {
  const sent: string[] = [];
  let release!: () => void;
  let fail = true;
  const wakeups = new Wakeups(async (queues) => {
    sent.push(queues);
    await new Promise<void>((resolve) => (release = resolve));
    if (fail) {
      fail = false;
      throw new Error("connection lost");
    }
  });
  wakeups.request(["a"]);
  wakeups.request(["b", "c"]);
  wakeups.request(["b"]);
  expect(sent).toEqual(["a"]);
  release();
  await eventually("the second", async () => sent.length === 2);
  expect(sent).toEqual(["a", "b,c"]);
  const settled = wakeups.settled();
  release();
  await settled;
  wakeups.request([]);
  expect(sent).toHaveLength(2);
});
