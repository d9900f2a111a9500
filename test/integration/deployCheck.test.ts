/**
 * `backie check` against a database: every stored ready and running payload through this build's
 * upgrades and schema, on a million rows with three kinds of incompatibility (invalid after
 * the upgrades, an upgrade that throws, a name no task has) and rows of a newer version, which
 * wait rather than fail. Exact counts and first ids against what SQL says; the queue's rows stay
 * writable meanwhile. Then the real command with a read-only role.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkStoredPayloads, defineTask, type RegisteredTask } from "../../src/index.js";
import { testDatabase } from "../support/db.js";
import { validatorFor } from "../support/tasks.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const db = await testDatabase("deploy_check");
const store = db.store();

const v2Schema = { type: "object", properties: { to: { type: "string" }, locale: { enum: ["en", "de"] } }, required: ["to", "locale"], additionalProperties: false };
const greet: RegisteredTask = {
  definition: defineTask({
    name: "greet_c", queue: "check", aliases: ["greet_old"],
    async run(p: { to: string; locale: "en" | "de" }) { void p; },
    upgrades: {
      1: (old: { to: string }) => {
        if (old.to.startsWith("boom")) throw new Error(`cannot tell the locale of ${old.to}`);
        return { ...old, locale: "en" as const };
      },
    },
  }),
  validate: validatorFor(v2Schema), version: 2, steps: { 1: { upgrade: true } },
};

const ROWS = 1_000_000;

/** What SQL says: the matching ready and running rows' count and first ids. */
async function truth(where: string): Promise<{ count: number; first: string[] }> {
  const { rows } = await db.sql.query(`SELECT count(*)::int AS n, (array_agg(id::text ORDER BY id))[1:5] AS first FROM backie_tasks WHERE state IN ('ready', 'running') AND ${where}`);
  return { count: rows[0].n, first: rows[0].first ?? [] };
}

describe("backie check against stored tasks", () => {
  it("a million stored rows: exact counts and first ids of each kind of incompatibility, without blocking the queue", async () => {
    // Row i: mostly good v1 and v2 payloads; every 100,000th + 11 a v2 payload without `locale`
    // (invalid); every 250,000th + 5 a v1 payload the upgrade throws on; every 333,333rd + 1 (4 of them) a
    // name no task has; every 500,000th + 9 a version-3 payload (newer than this build); every
    // 7th running; and 1,000 finished rows with broken payloads, which are not checked.
    await db.sql.query(`
      INSERT INTO backie_tasks (task_name, queue_name, state, payload, payload_version, lease_owner, lease_expires_at)
      SELECT CASE WHEN i % 333333 = 1 THEN 'greet_gone' WHEN i % 3 = 0 THEN 'greet_old' ELSE 'greet_c' END, 'check',
             CASE WHEN i % 7 = 0 THEN 'running' ELSE 'ready' END::backie_task_state,
             CASE WHEN i % 100000 = 11 THEN jsonb_build_object('to', 'x' || i)
                  WHEN i % 250000 = 5 THEN jsonb_build_object('to', 'boom' || i)
                  WHEN i % 2 = 0 THEN jsonb_build_object('to', 'u' || i, 'locale', 'de')
                  ELSE jsonb_build_object('to', 'u' || i) END,
             CASE WHEN i % 500000 = 9 THEN 3 WHEN i % 100000 = 11 THEN 2 WHEN i % 250000 = 5 THEN 1 WHEN i % 2 = 0 THEN 2 ELSE 1 END,
             CASE WHEN i % 7 = 0 THEN 'elsewhere' END, CASE WHEN i % 7 = 0 THEN now() + interval '1 hour' END
      FROM generate_series(1, ${ROWS}) i`);
    await db.sql.query(`INSERT INTO backie_tasks (task_name, queue_name, state, payload, payload_version, finished_at)
      SELECT 'greet_c', 'check', 'done', '{"broken":true}', 2, now() FROM generate_series(1, 1000)`);
    await db.sql.query("ANALYZE backie_tasks");

    // Meanwhile a worker's kind of write on rows the check is reading: never waits for it.
    let writes = 0;
    let checking = true;
    const writer = (async () => {
      const client = await db.sql.connect();
      try {
        await client.query("SET lock_timeout = '200ms'");
        while (checking) {
          await client.query("UPDATE backie_tasks SET priority = priority + 1 WHERE id = (SELECT id FROM backie_tasks WHERE state = 'ready' ORDER BY id LIMIT 1 OFFSET $1)", [writes * 1_000]);
          writes++;
        }
      } finally {
        client.release();
      }
    })();
    const started = performance.now();
    const report = await checkStoredPayloads(store.admin, { greet_c: greet }, { first: 5 }).finally(() => (checking = false));
    const seconds = (performance.now() - started) / 1000;
    await writer;
    console.log(`backie check: ${report.checked} stored rows in ${seconds.toFixed(1)} s; ${writes} concurrent writes, none waited`);

    const invalid = await truth("payload_version = 2 AND NOT payload ? 'locale'");
    const throwing = await truth("payload_version = 1 AND payload->>'to' LIKE 'boom%'");
    const unknown = await truth("task_name = 'greet_gone'");
    const newer = await truth("payload_version = 3");
    expect(invalid.count).toBe(10);
    expect(throwing.count).toBe(4);
    expect(newer.count).toBe(2);
    expect(unknown.count).toBe(4);
    expect(report.checked).toBe(ROWS);
    expect(report.unknown).toEqual([{ taskName: "greet_gone", count: 4, firstIds: unknown.first }]);

    const byName = Object.fromEntries(report.tasks.map((t) => [t.taskName, t]));
    expect(Object.keys(byName).sort()).toEqual(["greet_c", "greet_old"]);
    expect(byName.greet_c!.failed + byName.greet_old!.failed).toBe(invalid.count + throwing.count);
    expect(byName.greet_c!.newer + byName.greet_old!.newer).toBe(newer.count);
    expect(byName.greet_c!.checked + byName.greet_old!.checked).toBe(ROWS - unknown.count);
    // Per stored name: the exact count and first ids of what fails, each with its one-line reason.
    for (const name of ["greet_c", "greet_old"]) {
      const bad = await truth(`task_name = '${name}' AND ((payload_version = 2 AND NOT payload ? 'locale') OR (payload_version = 1 AND payload->>'to' LIKE 'boom%'))`);
      expect(byName[name]!.failed, name).toBe(bad.count);
      expect(byName[name]!.firstFailures.map((f) => f.id), name).toEqual(bad.first);
      for (const f of byName[name]!.firstFailures) {
        if ((await truth(`id = ${f.id} AND payload_version = 2`)).count === 1) {
          // Under the name it is stored by (a former name included).
          expect(f.message).toBe(`stored payload is invalid for task "${name}": $.locale is required`);
        } else {
          expect(f.message).toMatch(/^upgrades\[1\] of task "greet_c" \(payload version 1 to 2\) threw: cannot tell the locale of boom\d+$/);
        }
      }
    }
  }, 300_000);

  it("the command: a read-only role is enough; exit 1 with per-task lines when anything would fail", async () => {
    await db.sql.query("DELETE FROM backie_tasks");
    await db.sql.query(`INSERT INTO backie_tasks (task_name, queue_name, payload, payload_version) VALUES
      ('send_welcome_email', 'email', '{"to":"a@example.com","name":"A"}', 1),
      ('send_welcome_email', 'email', '{"to":"not an address","name":"B"}', 1),
      ('vanished_task', 'email', '{}', 0)`);
    await db.sql.query("DO $$ BEGIN CREATE ROLE backie_check_reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    await db.sql.query("GRANT SELECT ON backie_tasks TO backie_check_reader");
    const url = new URL(db.url);
    url.username = "backie_check_reader";
    const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", path.join(REPO, "cli/main.ts"), "check", ...args], {
      cwd: REPO, env: { ...process.env, DATABASE_URL: url.toString() }, encoding: "utf8",
    });
    const { rows: [bad] } = await db.sql.query("SELECT id::text FROM backie_tasks WHERE payload->>'name' = 'B'");
    const { rows: [gone] } = await db.sql.query("SELECT id::text FROM backie_tasks WHERE task_name = 'vanished_task'");
    const text = run(["--stored-only"]);
    expect(text.status, text.stderr).toBe(1);
    expect(text.stdout).toContain("stored payloads: 3 ready and running checked in");
    expect(text.stdout).toContain("  FAIL send_welcome_email: 2 stored, 1 would fail\n");
    expect(text.stdout).toContain(`       #${bad.id}: stored payload is invalid for task "send_welcome_email": $.to must match format "email"\n`);
    expect(text.stdout).toContain(`  FAIL vanished_task: 1 stored under a name this build does not know (first ids ${gone.id})`);
    const json = run(["--stored-only", "--json"]);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).stored).toMatchObject({ checked: 3, unknown: [{ taskName: "vanished_task", count: 1, firstIds: [gone.id] }] });
    await db.sql.query("DELETE FROM backie_tasks WHERE id IN ($1, $2)", [bad.id, gone.id]);
    expect(run(["--stored-only"]).status).toBe(0);
  }, 60_000);
});
