/**
 * `backie/testing`, used as a user would on this repository's demo tasks: a database of its own
 * in one call, typed assertions on what was enqueued (with a readable failure), `perform` through
 * the real path (validation, JSON round trip, executor, retry policy, durable steps), and `drain`
 * through the real claim and writes, following what runs enqueue when asked to.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createEnqueue, type Payloads, type Results } from "../../generated/enqueue.js";
import { registry } from "../../generated/registry.js";
import { Mailer } from "../../backie.worker.js";
import { createTestDatabase, createTestKit } from "../../src/testing/index.js";

const db = await createTestDatabase();
afterAll(() => db.drop());
beforeEach(() => db.reset());
const kit = createTestKit<Payloads, Results>(db.store, registry);
const enqueue = createEnqueue(db.store);
const app = { mailer: new Mailer() };

describe("assertions", () => {
  it("finds an enqueued task by a partial payload, queue and priority, typed", async () => {
    await enqueue.sendWelcomeEmail({ to: "ada@example.com", name: "Ada", locale: "de" }, { priority: 3 });
    const task = await kit.assertEnqueued("send_welcome_email", { payload: { to: "ada@example.com" }, queue: "email", priority: 3 });
    expect(task.payload.name).toBe("Ada");
    await kit.refuteEnqueued("send_welcome_email", { payload: { to: "bob@example.com" } });
    await kit.refuteEnqueued("resize_image");
    expect((await kit.allEnqueued("send_welcome_email")).map((t) => t.payload.locale)).toEqual(["de"]);
  });

  it("fails with the closest enqueued tasks and how each differs", async () => {
    await enqueue.sendWelcomeEmail({ to: "ada@example.com", name: "Ada" });
    await enqueue.sendWelcomeEmail({ to: "grace@example.com", name: "Grace", locale: "en" });
    const message = await kit.assertEnqueued("send_welcome_email", { payload: { to: "grace@example.com", locale: "de" } }).then(() => "passed", (e: Error) => e.message);
    expect(message.replace(/#\d+/g, "#N").replace(/due \S+\)/g, "due T)")).toBe([
      'expected an enqueued "send_welcome_email" task with payload {"to":"grace@example.com","locale":"de"}; 2 of that name enqueued, the closest:',
      '  #N (queue email, due T) {"to":"grace@example.com","name":"Grace","locale":"en"}',
      '    $.locale is "en", expected "de"',
      '  #N (queue email, due T) {"to":"ada@example.com","name":"Ada"}',
      '    $.to is "ada@example.com", expected "grace@example.com"',
      '    $.locale is missing (expected "de")',
    ].join("\n"));
    expect(await kit.assertEnqueued("resize_image").then(() => "passed", (e: Error) => e.message)).toBe('expected an enqueued "resize_image" task, but none of that name is enqueued');
    expect(await kit.refuteEnqueued("send_welcome_email", { payload: { name: "Ada" } }).then(() => "passed", (e: Error) => e.message))
      .toMatch(/^expected no enqueued "send_welcome_email" task with payload \{"name":"Ada"\}, found 1: #\d+ \(queue email/);
  });
});

describe("perform", () => {
  it("runs a task through the real path: a failing attempt is a retry with its backoff, the last one a failure", async () => {
    const report = { accountId: "acme", from: "2026-10-01", to: "2026-10-31", failFirstAttempts: 5 };
    const first = await kit.perform("generate_report", report, { app });
    expect(first).toMatchObject({ outcome: "retry", delayMs: 200, error: { kind: "error", message: "upstream for account acme timed out (attempt 1)" } });
    const last = await kit.perform("generate_report", report, { app, attempt: 4 });
    expect(last).toMatchObject({ outcome: "failed", error: { attempt: 4 } });
  });

  it("sees what a run enqueues, and refuses a payload enqueue would refuse", async () => {
    const done = await kit.perform("generate_report", { accountId: "acme", from: "2026-10-01", to: "2026-10-31", notify: "ops@acme.example" }, { app });
    expect(done.outcome).toBe("success");
    expect(done.enqueued.map((t) => [t.taskName, t.payload])).toEqual([["send_report_ready", { to: "ops@acme.example", accountId: "acme", reportUrl: "https://reports.example.com/acme/2026-10-01_2026-10-31.pdf" }]]);
    await kit.assertEnqueued("send_report_ready", { payload: { to: "ops@acme.example", accountId: "acme" } });
    await expect(kit.perform("send_welcome_email", { to: "not an address", name: "" }, { app }))
      .rejects.toThrow('invalid payload for task "send_welcome_email": $.to must match format "email"; $.name must NOT have fewer than 1 characters');
    // What does not survive JSON is refused before it runs, as enqueue refuses it.
    await expect(kit.perform("send_welcome_email", { to: "a@b.co", name: new Map([["first", "A"]]) } as never, { app }))
      .rejects.toThrow(/^invalid payload for task "send_welcome_email": \$\.name /);
  });

  it("runs durable steps on an in-memory history: parks at the sleep and the wait, resumes from the history given back", async () => {
    const order = { orderId: "o-1", amountCents: 100, coolOffMs: 60_000 };
    const slept = await kit.perform("fulfil_order", order, { app });
    expect(slept).toMatchObject({ outcome: "parked", parked: "sleeping" });
    expect(slept.steps.map((s) => s.id)).toEqual(["charge", "cool-off"]);
    const later = () => new Date(Date.now() + 120_000);
    const waiting = await kit.perform("fulfil_order", order, { app, steps: slept.steps, now: later });
    expect(waiting).toMatchObject({ outcome: "parked", parked: "waiting", signal: "approved" });
    const shipped = await kit.perform("fulfil_order", order, { app, steps: waiting.steps, now: later, signals: [{ name: "approved", payload: { by: "ops", approved: true } }] });
    expect(shipped.outcome).toBe("success");
    expect(shipped.steps.map((s) => [s.id, s.kind])).toEqual([["charge", "step"], ["cool-off", "sleep"], ["approved", "wait"], ["ship", "step"]]);
    // The charge step ran once: its stored result was replayed.
    expect(shipped.steps[0]).toEqual(slept.steps[0]);
  });
});

describe("drain", () => {
  it("runs what is due; recursive also what those runs enqueue; failures come back as values", async () => {
    await enqueue.generateReport({ accountId: "acme", from: "2026-10-01", to: "2026-10-31", notify: "ops@acme.example" });
    await enqueue.generateReport({ accountId: "globex", from: "2026-10-01", to: "2026-10-31", failFirstAttempts: 99 });
    await enqueue.resizeImage({ sourceUrl: "https://x.example/a.png", width: 64, height: 64, format: "webp" }, { delayMs: 3_600_000 });
    const once = await kit.drain({ app });
    expect(once).toMatchObject({ success: 1, retry: 1, failed: 0 });
    expect(once.runs.find((r) => r.outcome === "retry")?.error?.message).toBe("upstream for account globex timed out (attempt 1)");
    // The mail the report enqueued was not run (not recursive), nor the resize due in an hour.
    await kit.assertEnqueued("send_report_ready", { payload: { accountId: "acme" } });
    await kit.assertEnqueued("resize_image");
    const all = await kit.drain({ app, recursive: true, withScheduled: true });
    expect(all.runs.filter((r) => r.task === "send_report_ready" || r.task === "resize_image").map((r) => [r.task, r.outcome]).sort())
      .toEqual([["resize_image", "success"], ["send_report_ready", "success"]]);
    // withScheduled also runs the retries waiting for their backoff, until they are spent.
    expect(all.runs.filter((r) => r.task === "generate_report").map((r) => r.outcome)).toEqual(["retry", "retry", "failed"]);
    expect(await kit.allEnqueued("send_report_ready")).toEqual([]);
  });

  it("on a clock the test moves: a retry comes due after its backoff, not before", async () => {
    await enqueue.generateReport({ accountId: "initech", from: "2026-10-01", to: "2026-10-31", failFirstAttempts: 1 });
    expect(await kit.drain({ app })).toMatchObject({ retry: 1, success: 0 });
    // Its backoff put it 200 ms after the failure: not due a millisecond before, due a millisecond
    // after (the database keeps microseconds, a Date milliseconds).
    const [retry] = await kit.allEnqueued("generate_report");
    expect((await kit.drain({ app, now: new Date(retry!.scheduledAt.getTime() - 1) })).runs).toEqual([]);
    expect(await kit.drain({ app, now: new Date(retry!.scheduledAt.getTime() + 1) })).toMatchObject({ success: 1 });
  });
});

describe("schedules on the test's clock", () => {
  it("an occurrence becomes one task when its time comes, and only once", async () => {
    await kit.schedules.reconcile(new Date("2026-03-01T00:00:00.500Z"));
    expect(await kit.schedules.tick(new Date("2026-03-01T00:00:03Z"))).toEqual([]);
    const fired = await kit.schedules.tick(new Date("2026-03-01T00:00:05.100Z"));
    expect(fired).toMatchObject([{ type: "schedule:fired", id: "uptime-example-com", task: "check_uptime", scheduledFor: new Date("2026-03-01T00:00:05Z") }]);
    expect(await kit.schedules.tick(new Date("2026-03-01T00:00:05.200Z"))).toEqual([]);
    const [task] = await kit.allEnqueued("check_uptime");
    expect(task!.payload).toEqual({ url: "https://example.com/health", timeoutMs: 2_000 });
    expect(await kit.allEnqueued("check_uptime")).toHaveLength(1);
  });
});

describe("a test transaction instead of a reset", () => {
  it("what a test writes is rolled back, the store's own transactions included", async () => {
    const tx = await db.transaction();
    const inTx = createTestKit<Payloads, Results>(tx.store, registry);
    try {
      await createEnqueue(tx.store).sendWelcomeEmail({ to: "tx@example.com", name: "Tx" });
      await inTx.assertEnqueued("send_welcome_email", { payload: { to: "tx@example.com" } });
      // Not visible outside the transaction, and gone after it.
      await kit.refuteEnqueued("send_welcome_email");
      await inTx.schedules.reconcile(new Date("2026-03-01T00:00:00Z"));
      expect((await tx.store.schedules.listSchedules()).schedules.map((x) => x.id)).toEqual(["uptime-example-com"]);
      expect(await inTx.drain({ app })).toMatchObject({ success: 1 });
      await createEnqueue(tx.store).resizeImage({ sourceUrl: "https://x.example/a.png", width: 64, height: 64, format: "webp" }, { delayMs: 60_000 });
      await inTx.assertEnqueued("resize_image");
    } finally {
      await tx.rollback();
    }
    expect((await db.store.schedules.listSchedules()).schedules).toEqual([]);
    await kit.refuteEnqueued("resize_image");
    await kit.refuteEnqueued("send_welcome_email");
  });
});
