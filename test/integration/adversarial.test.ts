/**
 * Property-based attacks on the boundaries: whatever a user passes to the CLI or to enqueue, and
 * whatever rows the table holds, the answer is a stored task or one clear line; never a crash, a
 * stack, a silently changed payload, or a half-written row.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/program.js";
import { defineTask, enqueueFunction, PayloadValidationError, ConfigError, WorkerPool, type EnqueueOptions } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, registered, registryOf, validatorFor } from "../support/tasks.js";

const db = await testDatabase("adversarial");
const store = db.store();
const REPO = new URL("../../", import.meta.url).pathname;

/** Runs the CLI in this process; returns its exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void (out += `${a.join(" ")}\n`));
  const error = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void (err += `${a.join(" ")}\n`));
  try {
    const code = await main([...args, "--root", REPO, "--database-url", db.url]);
    return { code, out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const oneLine = (text: string): boolean => text.trimEnd().split("\n").length <= 1;

describe("CLI arguments", () => {
  const junk = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.constantFrom("99999999999999999999999", "-1", "0", "1e30", "NaN", "Infinity", "0x10", " 7", "9223372036854775808", "", "--", "\u0000"),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  );

  it("retry and cancel answer any id with exit 0 or 1 and one line", async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom("retry", "cancel"), junk, async (command, id) => {
      const { code, err } = await cli([command, "--", id]);
      expect([0, 1]).toContain(code);
      if (code === 1) expect(oneLine(err)).toBe(true);
    }), { numRuns: 60 });
  });

  it("numeric options answer any value with exit 0 or 1 and one line", async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(["failed", "--limit"], ["running", "--limit"], ["enqueue", "send_welcome_email", '{"to":"a@b.co","name":"A"}', "--delay-ms"],
        ["enqueue", "send_welcome_email", '{"to":"a@b.co","name":"A"}', "--priority"], ["enqueue", "send_welcome_email", '{"to":"a@b.co","name":"A"}', "--run-at"]),
      junk,
      async (prefix, value) => {
        const { code, err } = await cli([...prefix, value]);
        expect([0, 1]).toContain(code);
        if (code === 1) expect(oneLine(err), err).toBe(true);
      },
    ), { numRuns: 60 });
  });

  it("enqueue answers any payload text with a stored task or one clear refusal", async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.json(), fc.string({ unit: "binary" }), fc.constantFrom('{"to":"a@b.co","name":"\\u0000"}', '{"to":"a@b.co","name":"\\ud800"}')), async (json) => {
      const { code, err } = await cli(["enqueue", "send_welcome_email", json]);
      expect([0, 1]).toContain(code);
      if (code === 1) expect(err).not.toMatch(/\n\s+at /);
    }), { numRuns: 60 });
  });

  it("any arguments to any command that does not run forever: exit 0 or 1, never a stack", async () => {
    const token = fc.oneof(
      fc.constantFrom("--json", "--limit", "--delay-ms", "--run-at", "--priority", "--queue", "--help", "-h", "--", "-", "--limit=5", "--bogus", "1", "0", "{}", "[]", "send_welcome_email"),
      fc.string({ unit: "binary", maxLength: 12 }),
    );
    await fc.assert(fc.asyncProperty(fc.constantFrom("status", "failed", "running", "retry", "cancel", "enqueue", "migrate"), fc.array(token, { maxLength: 5 }), async (command, args) => {
      const { code, err } = await cli([command, ...args]);
      expect([0, 1]).toContain(code);
      expect(err).not.toMatch(/\n\s+at /);
    }), { numRuns: 80 });
  });

  it("a database URL it cannot use is one line, exit 1", async () => {
    for (const url of ["postgres://postgres@127.0.0.1:99999/x", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=require", "mysql://x", "postgres://a:b@c@/d?x=%", "postgres://postgres@127.0.0.1:1/x"]) {
      let err = "";
      const spy = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void (err += `${a.join(" ")}\n`));
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      try {
        const code = await main(["status", "--root", REPO, "--database-url", url]);
        expect(code, url).toBe(1);
        expect(oneLine(err), err).toBe(true);
      } finally {
        spy.mockRestore();
        log.mockRestore();
      }
    }
  });
});

describe("enqueue", () => {
  const target = { name: "any", queue: "adv_any", maxRetries: 0, validate: validatorFor({}) };
  const enqueue = enqueueFunction<unknown>(() => store, target);
  // Strings with every kind of code unit: NUL, lone surrogates, astral characters.
  const text = fc.string({ unit: "binary", maxLength: 12 });
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small" }, text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.date({ noInvalidDate: false }),
      fc.constant(undefined), fc.bigInt(), fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(text, tie("node"), { maxKeys: 4 })),
  })).node;

  it("stores exactly the JSON it validated, or refuses with PayloadValidationError and stores nothing", async () => {
    await fc.assert(fc.asyncProperty(value, async (payload) => {
      const before = (await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = 'adv_any'")).rows[0].n;
      let id: string | undefined;
      try {
        id = (await enqueue(payload)).id;
      } catch (error) {
        expect(error).toBeInstanceOf(PayloadValidationError);
        expect((error as Error).message.split("\n")).toHaveLength(1);
        const after = (await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = 'adv_any'")).rows[0].n;
        expect(after).toBe(before);
        return;
      }
      const [row] = await store.findTasks([id]);
      // What came back is what JSON promises for this value: nothing silently dropped or changed.
      expect(row!.payload).toEqual(JSON.parse(JSON.stringify(payload)));
    }), { numRuns: 300 });
  });

  it("a batch stores each payload exactly, in input order, whatever it holds (quotes, braces, backslashes, any code unit)", async () => {
    await fc.assert(fc.asyncProperty(fc.array(value, { minLength: 2, maxLength: 6 }), fc.integer({ min: -5, max: 5 }), async (payloads, priority) => {
      let results: Array<{ id: string }>;
      try {
        results = await enqueue.many(payloads, { priority, delayMs: 60_000 });
      } catch (error) {
        expect(error).toBeInstanceOf(PayloadValidationError);
        return;
      }
      const rows = await store.findTasks(results.map((r) => r.id));
      const byId = new Map(rows.map((r) => [r.id, r]));
      results.forEach((r, i) => {
        expect(byId.get(r.id)!.payload).toEqual(JSON.parse(JSON.stringify(payloads[i])));
        expect(byId.get(r.id)!.priority).toBe(priority);
      });
    }), { numRuns: 150 });
  });

  it("a batch stores every row's own columns, whichever are the same in every row (sent once) and whichever differ", async () => {
    const at = new Date("2031-05-06T07:08:09.123Z");
    const row = fc.record({
      taskName: fc.constantFrom("a", "b"), queueName: fc.constantFrom("q1", "q2"), priority: fc.constantFrom(-2, 0, 7),
      maxRetries: fc.constantFrom(0, 3), runAt: fc.constantFrom(null, at), delayMs: fc.constantFrom(null, 3_600_000),
      concurrencyKey: fc.constantFrom(null, "k1", "k2"), traceContext: fc.constantFrom(null, { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }),
      payload: fc.jsonValue(),
    });
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 2, maxLength: 8 }), async (rows) => {
      const tasks = rows.map((r) => ({ ...r, uniqueKey: null }));
      const inserted = await store.insertTasks(tasks);
      const { rows: stored } = await db.sql.query(
        `SELECT id::text, task_name, queue_name, priority, max_retries, payload, concurrency_key, trace_context,
                extract(epoch FROM scheduled_at - created_at) AS lead, scheduled_at
         FROM backie_tasks WHERE id = ANY($1::bigint[])`, [inserted.map((i) => i.id)]);
      const byId = new Map(stored.map((s) => [s.id as string, s]));
      expect(new Set(inserted.map((i) => i.id)).size).toBe(rows.length);
      inserted.forEach(({ id }, i) => {
        const r = rows[i]!;
        const s = byId.get(id)!;
        expect([s.task_name, s.queue_name, s.priority, s.max_retries, s.concurrency_key]).toEqual([r.taskName, r.queueName, r.priority, r.maxRetries, r.concurrencyKey]);
        expect(s.payload).toEqual(JSON.parse(JSON.stringify(r.payload)));
        expect(s.trace_context).toEqual(r.traceContext);
        if (r.runAt) expect((s.scheduled_at as Date).getTime()).toBe(at.getTime());
        else expect(Math.round(Number(s.lead))).toBe(r.delayMs === null ? 0 : 3_600);
      });
      await db.sql.query("DELETE FROM backie_tasks WHERE id = ANY($1::bigint[])", [inserted.map((i) => i.id)]);
    }), { numRuns: 150 });
  });

  it("refuses options it cannot honour, naming the option, and stores nothing", async () => {
    const bad: EnqueueOptions[] = [
      { delayMs: 1e20 }, { delayMs: -1 }, { delayMs: Number.NaN }, { runAt: new Date(Number.NaN) }, { runAt: new Date(-8.64e15) },
      { runAt: new Date(8.64e15) }, { priority: 2 ** 31 }, { priority: 1.5 }, { queue: "" }, { queue: "a\u0000b" }, { queue: "x".repeat(500) },
      { runAt: "2026-01-01" as unknown as Date }, { delayMs: "5" as unknown as number }, { client: {} as never },
    ];
    for (const options of bad) {
      await expect(enqueue({ ok: 1 }, options), JSON.stringify(options)).rejects.toThrow(ConfigError);
      await expect(enqueue({ ok: 1 }, options)).rejects.toThrow(/option (delayMs|runAt|priority|queue|client)/);
    }
    expect((await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE payload = '{\"ok\":1}'")).rows[0].n).toBe(0);
  });

  it("says why a Date field is refused: an invalid Date, not 'must be string'", async () => {
    const dated = enqueueFunction<{ at: Date }>(() => store, { ...target, validate: validatorFor({ type: "object", properties: { at: { type: "string", format: "date-time" } }, required: ["at"] }) });
    await expect(dated({ at: new Date("nonsense") })).rejects.toThrow('invalid payload for task "any": $.at is an invalid Date');
  });

  it("refuses payloads that cannot be read or would change in JSON, naming where", async () => {
    const cases: Array<[unknown, string]> = [
      [{ a: new Proxy({}, { ownKeys() { throw new Error("trap"); } }) }, "$.a cannot be read: trap"],
      [{ b: { get x() { throw new Error("getter"); } } }, "$.b cannot be read: getter"],
      [{ c: { toJSON() { throw new Error("no"); } } }, "$.c toJSON() threw: no"],
      [{ d: [1, undefined] }, "$.d[1] is undefined"],
      [{ e: Number.NaN }, "$.e is NaN"],
      [{ f: 10n }, "$.f is a BigInt"],
      [{ "bad\u0000key": 1 }, "contains U+0000"],
      [(() => { const o: Record<string, unknown> = {}; o.self = o; return o; })(), "$.self is a circular reference"],
      [undefined, "$ is undefined"],
    ];
    for (const [payload, message] of cases) {
      await expect(enqueue(payload), message).rejects.toThrow(message);
    }
  });

  it("refuses a payload over maxPayloadBytes and one nested deeper than the limit", async () => {
    const small = db.store({ maxPayloadBytes: 1_000 });
    const limited = enqueueFunction<unknown>(() => small, target);
    await expect(limited({ s: "x".repeat(2_000) })).rejects.toThrow(/\$ is \d+ bytes as JSON; the limit is 1000/);
    let deep: unknown = {};
    for (let i = 0; i < 5_000; i++) deep = { d: deep };
    await expect(enqueue(deep)).rejects.toThrow(/nests deeper than 1000 levels/);
  });
});

describe("stored rows a worker must get past", () => {
  it("rows with counters at their limits, far-off and -infinity times, and odd errors do not block their queue", async () => {
    const q = "adv_worker_rows";
    await db.sql.query(`INSERT INTO backie_tasks (task_name, queue_name, payload, attempts, max_retries, lease_token, scheduled_at, created_at, errors)
      VALUES ('runs', '${q}', '{}', 2147483647, 2147483647, 2147483647, '-infinity', 'infinity', '"not an array"'),
             ('runs', '${q}', '{}', -2147483648, 0, -2147483648, '-infinity', '-infinity', '{}'),
             ('runs', '${q}', '{"n":1}', 0, 0, 0, now(), now(), '[]')`);
    const seen: Array<{ attempt: number; scheduledAt: number }> = [];
    const runs = defineTask({ name: "runs", queue: q, run(_p: object, ctx) { seen.push({ attempt: ctx.task.attempt, scheduledAt: ctx.task.scheduledAt.getTime() }); } });
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(registered(runs)), queues: { [q]: { pullIntervalMs: 50 } } });
    await pool.start();
    try {
      await eventually("all three to run", async () => seen.length === 3);
    } finally {
      await pool.stop();
    }
    expect(seen.every((s) => Number.isFinite(s.scheduledAt))).toBe(true);
    expect((await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = $1", [q])).rows[0].n).toBe(0);
  });
});

describe("the limits are the ones that run", () => {
  it("a payload nested right up to the depth limit is accepted, validated by a recursive schema, and run", async () => {
    const q = "adv_at_limit";
    const schema = { $ref: "#/$defs/N", $defs: { N: { type: "array", items: { $ref: "#/$defs/N" } } } };
    let deep: unknown[] = [];
    for (let i = 1; i < 1_000; i++) deep = [deep];
    let ran = 0;
    const task = defineTask({ name: "at_limit", queue: q, maxRetries: 0, run(_p: unknown[]) { ran++; } });
    const entry = registered(task, schema);
    const enqueueDeep = enqueueFunction<unknown[]>(() => store, { name: "at_limit", queue: q, maxRetries: 0, validate: entry.validate });
    const { id } = await enqueueDeep(deep);
    await expect(enqueueDeep([deep])).rejects.toThrow(/nests deeper than 1000 levels/);
    const pool = new WorkerPool({ ...NO_APP, store, registry: registryOf(entry), queues: { [q]: { pullIntervalMs: 20, retentionMode: "keepAll" } } });
    await pool.start();
    try {
      await eventually("the deep task to finish", async () => ["done", "failed"].includes((await store.findTasks([id]))[0]?.state ?? ""));
    } finally {
      await pool.stop();
    }
    expect((await store.findTasks([id]))[0]).toMatchObject({ state: "done", errors: [] });
    expect(ran).toBe(1);
  });
});

describe("stored rows the CLI must list", () => {
  beforeAll(async () => {
    // Rows no enqueue would write, as a hand-written UPDATE or another tool might leave them.
    await db.sql.query(`INSERT INTO backie_tasks (task_name, queue_name, payload, state, attempts, max_retries, scheduled_at, started_at, finished_at, lease_owner, lease_expires_at, errors)
      VALUES ('ghost', 'adv_rows', '{}', 'failed', 2147483647, 0, '-infinity', 'infinity', 'infinity', NULL, NULL, '[{"not":"an error record"}]'),
             ('ghost', 'adv_rows', '{}', 'running', 1, 0, 'infinity', '-infinity', NULL, 'someone', 'infinity', '[]'),
             ('ghost', 'adv_rows', '{}', 'failed', 1, 0, now(), now(), NULL, NULL, NULL, '"not an array"'),
             ('ghost\u00e9\\x', 'adv_rows', '[]', 'ready', 0, 0, '-infinity', NULL, NULL, NULL, NULL, '[]')`);
  });
  afterAll(async () => {
    await db.sql.query("DELETE FROM backie_tasks WHERE queue_name = 'adv_rows'");
  });

  it("status, failed and running print them without crashing", async () => {
    for (const args of [["status"], ["status", "--json"], ["failed"], ["failed", "--json"], ["running"], ["running", "--json"]]) {
      const { code, out, err } = await cli(args);
      expect(code, `${args.join(" ")}: ${err}`).toBe(0);
      expect(out.length).toBeGreaterThan(0);
    }
  });
});

describe("any stored row", () => {
  it("ends in a final state, and no store error repeats, whatever the table holds", async () => {
    const q = "adv_any_rows";
    const json = fc.jsonValue({ maxDepth: 6 });
    const row = fc.record({
      // Either data inside a well-formed payload, or raw JSON text in place of the whole payload.
      payload: fc.oneof(json.map((data) => ({ data })), fc.constantFrom("[[[[[[[[[[]]]]]]]]]]", '{"a":{"b":{"c":[1e308,-0,0.1]}}}', "null", '"text"', "1e400").map((raw) => ({ raw }))),
      attempts: fc.oneof(fc.integer({ min: -5, max: 10 }), fc.constantFrom(2147483647, -2147483648)),
      // (A huge max_retries on a task that always throws is a policy of retrying forever, not a fault.)
      maxRetries: fc.integer({ min: 0, max: 3 }),
      priority: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(2147483647, -2147483648)),
      scheduledAt: fc.constantFrom("-infinity", "2000-01-01T00:00:00Z", "now()"),
      errors: fc.constantFrom("[]", '"text"', "{}", '[{"attempt":"x"}]', "null"),
      leaseToken: fc.oneof(fc.integer(), fc.constantFrom(2147483647, -2147483648)),
      behaviour: fc.constantFrom("ok", "throws", "throwsOdd"),
    });
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), async (rows) => {
      await db.sql.query("DELETE FROM backie_tasks WHERE queue_name = $1", [q]);
      for (const r of rows) {
        const payload = "raw" in r.payload ? r.payload.raw : JSON.stringify({ behaviour: r.behaviour, data: r.payload.data });
        await db.sql.query(
          `INSERT INTO backie_tasks (task_name, queue_name, payload, attempts, max_retries, priority, scheduled_at, errors, lease_token)
           VALUES ('any_row', $1, $2::jsonb, $3, $4, $5, ${r.scheduledAt === "now()" ? "now()" : `'${r.scheduledAt}'`}, ${r.errors === "null" ? "'[]'" : `'${r.errors}'`}::jsonb, $6)`,
          [q, payload, r.attempts, r.maxRetries, r.priority, r.leaseToken],
        );
      }
      const storeErrors: unknown[] = [];
      const task = defineTask({
        name: "any_row", queue: q, backoff: { kind: "none" },
        run(p: { behaviour?: string }) {
          if (p.behaviour === "throws") throw new Error("planned");
          if (p.behaviour === "throwsOdd") throw Object.assign(Object.create(null) as object, { weird: "\u0000" });
        },
      });
      // A strict schema: payloads written by hand mostly fail it, as invalid_payload.
      const schema = { type: "object", properties: { behaviour: { enum: ["ok", "throws", "throwsOdd"] } }, required: ["behaviour"] };
      const pool = new WorkerPool({
        ...NO_APP, store, registry: registryOf(registered(task, schema)), queues: { [q]: { pullIntervalMs: 20, retentionMode: "keepAll" } },
        onEvent: (e) => void (e.type === "store:error" && storeErrors.push(e.error)),
      });
      await pool.start();
      try {
        await eventually("every row to finish", async () =>
          (await db.sql.query("SELECT count(*)::int AS n FROM backie_tasks WHERE queue_name = $1 AND state IN ('ready', 'running')", [q])).rows[0].n === 0, 20_000);
      } finally {
        await pool.stop();
      }
      expect(storeErrors).toEqual([]);
    }), { numRuns: 20 });
  }, 180_000);
});
