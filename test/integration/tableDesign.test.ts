/**
 * The table under adversarial contents and churn: rows nobody can run do not slow claims, a
 * duplicate enqueue inside a long transaction does not block a worker, unique keys of any length
 * work, heartbeats are HOT updates, and a role with only read/write grants runs everything.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/lib/databases.js";
import { DEFAULT_MIGRATIONS_DIR } from "../../src/db/migrationFiles.js";
import { tempDir } from "../support/tempDir.js";
import { createEnqueueClient } from "../support/enqueueClient.js";
import { defineTask, PgTaskStore, WorkerPool } from "../../src/index.js";
import { eventually, testDatabase } from "../support/db.js";
import { NO_APP, newTask, registered, registryOf } from "../support/tasks.js";

const db = await testDatabase("table_design");

/** The shipped migrations plus (or with a replaced) `name`, in a folder of their own. */
function migrationsWith(name: string, sql: string): string {
  const dir = tempDir("migrations");
  for (const f of readdirSync(DEFAULT_MIGRATIONS_DIR)) copyFileSync(path.join(DEFAULT_MIGRATIONS_DIR, f), path.join(dir, f));
  writeFileSync(path.join(dir, name), sql);
  return dir;
}
const store = db.store();

describe("claims", () => {
  it("never read rows of task names the worker does not register, however many", async () => {
    await db.sql.query(`INSERT INTO backie_tasks (task_name, queue_name, payload)
      SELECT 'nobody_runs_this', 'd_unknown', '{}' FROM generate_series(1, 100000)`);
    await store.insertTasks([newTask("known", "d_unknown")]);
    await db.sql.query("ANALYZE backie_tasks");
    // Blocks the claim reads, from the table's I/O statistics, through one connection.
    const one = new PgTaskStore({ connectionString: db.url, maxConnections: 1 });
    const io = async () => {
      await one.pool.query("SELECT pg_stat_force_next_flush()");
      const { rows } = await one.pool.query(`SELECT (coalesce(heap_blks_hit, 0) + coalesce(heap_blks_read, 0) + coalesce(idx_blks_hit, 0) + coalesce(idx_blks_read, 0))::int AS blocks
        FROM pg_statio_user_tables WHERE relname = 'backie_tasks'`);
      return rows[0].blocks as number;
    };
    try {
      const before = await io();
      const claimed = await one.claimTasks({ queueName: "d_unknown", taskNames: ["known"], limit: 10, owner: "t", leaseMs: 30_000 });
      const read = (await io()) - before;
      expect(claimed.map((c) => c.taskName)).toEqual(["known"]);
      // A claim that walked the 100,000 unknown rows reads thousands of blocks.
      expect(read).toBeLessThan(100);
    } finally {
      await one.close();
    }
  });

  it("claim the registered names among rows nobody runs", async () => {
    await store.insertTasks([newTask("known2", "d_unknown")]);
    const claimed = await store.claimTasks({ queueName: "d_unknown", taskNames: ["known2", "also_unknown"], limit: 10, owner: "t", leaseMs: 30_000 });
    expect(claimed.map((c) => c.taskName)).toEqual(["known2"]);
  });

  it("merge priority order across the registered names", async () => {
    const q = "d_merge";
    await store.insertTasks([
      newTask("a", q, { n: 1 }, { priority: 1 }), newTask("b", q, { n: 2 }, { priority: 5 }),
      newTask("a", q, { n: 3 }, { priority: 9 }), newTask("b", q, { n: 4 }, { priority: 0 }),
    ]);
    const claimed = await store.claimTasks({ queueName: q, taskNames: ["a", "b"], limit: 3, owner: "t", leaseMs: 30_000 });
    expect(claimed.map((c) => (c.payload as { n: number }).n)).toEqual([3, 2, 1]);
  });
});

describe("unique keys", () => {
  it("a duplicate enqueue inside an open transaction does not block the worker's completion or heartbeat", async () => {
    const q = "d_dup";
    const key = "report-42";
    const [first] = await store.insertTasks([newTask("dup", q, {}, { uniqueKey: key })]);
    const [claimed] = await store.claimTasks({ queueName: q, taskNames: ["dup"], limit: 1, owner: "w", leaseMs: 30_000 });
    const app = await db.sql.connect();
    try {
      await app.query("BEGIN");
      const [again] = await store.insertTasks([newTask("dup", q, {}, { uniqueKey: key })], { client: app });
      expect(again).toEqual({ id: first!.id, deduplicated: true });
      // The app's transaction stays open: the worker must still renew and finish at once.
      const started = Date.now();
      expect([...(await store.extendLeases([claimed!], 30_000))]).toEqual([]);
      expect([...(await store.completeTasks([{ id: claimed!.id, token: claimed!.token, outcome: "done" }]))]).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2_000);
      await app.query("COMMIT");
    } finally {
      app.release();
    }
    expect((await store.findTasks([first!.id]))[0]!.state).toBe("done");
  }, 10_000);

  it("takes keys of any length, deduplicates on the whole key, and tells keys apart that share a long prefix", async () => {
    const q = "d_longkey";
    // Random, so that it does not compress under the ~2.7 kB a btree entry holds (a repeated
    // character would, and hide the limit).
    const base = `https://example.com/report?sig=${randomBytes(20_000).toString("hex")}`;
    const [a] = await store.insertTasks([newTask("k", q, {}, { uniqueKey: `${base}a` })]);
    const [b] = await store.insertTasks([newTask("k", q, {}, { uniqueKey: `${base}b` })]);
    const [a2] = await store.insertTasks([newTask("k", q, {}, { uniqueKey: `${base}a` })]);
    expect(a!.deduplicated).toBe(false);
    expect(b!.deduplicated).toBe(false);
    expect(b!.id).not.toBe(a!.id);
    expect(a2).toEqual({ id: a!.id, deduplicated: true });
    const many = await store.insertTasks([newTask("k", q, {}, { uniqueKey: `${base}a` }), newTask("k", q, {}, { uniqueKey: `${base}c` })]);
    expect(many).toEqual([{ id: a!.id, deduplicated: true }, { id: expect.any(String), deduplicated: false }]);
  });
});

describe("churn", () => {
  it("heartbeats are HOT updates", async () => {
    const q = "d_hot";
    await store.insertTasks(Array.from({ length: 200 }, () => newTask("h", q)));
    const leases = await store.claimTasks({ queueName: q, taskNames: ["h"], limit: 200, owner: "w", leaseMs: 30_000 });
    const stats = async () => {
      await db.sql.query("SELECT pg_stat_force_next_flush()");
      const { rows } = await db.sql.query("SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'backie_tasks'");
      return rows[0] as { upd: number; hot: number };
    };
    // Stats are per backend until flushed: heartbeat through one connection, flush it there.
    const one = new PgTaskStore({ connectionString: db.url, maxConnections: 1 });
    try {
      await one.pool.query("SELECT pg_stat_force_next_flush()");
      const before = await stats();
      // Vacuumed between rounds, so that each finds the room HOT needs on its pages whatever the
      // load on the server (page pruning between rounds waits for a horizon the server may not
      // have recomputed yet): what is measured is that no index covers the lease columns.
      for (let i = 0; i < 5; i++) {
        await db.sql.query("VACUUM backie_tasks");
        await one.extendLeases(leases, 30_000);
      }
      await one.pool.query("SELECT pg_stat_force_next_flush()");
      await eventually("stats to arrive", async () => (await stats()).upd - before.upd >= 1_000);
      const after = await stats();
      const updates = after.upd - before.upd;
      const hot = after.hot - before.hot;
      expect(updates).toBe(1_000);
      expect(hot / updates).toBeGreaterThan(0.9);
    } finally {
      await one.close();
    }
  });
});

describe("least privilege", () => {
  it("a role with only SELECT, INSERT, UPDATE, DELETE enqueues and runs tasks; migrate says it needs more", async () => {
    const role = `backie_rw_${Math.random().toString(36).slice(2, 8)}`;
    await db.sql.query(`CREATE ROLE ${role} LOGIN`);
    // Exactly the grants docs/database.md documents.
    await db.sql.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON backie_tasks TO ${role}`);
    await db.sql.query(`GRANT SELECT ON backie_migrations TO ${role}`);
    await db.sql.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON backie_schedules, backie_queues, backie_workers, backie_stats, backie_rate_limits, backie_fan_ins, backie_fan_in_children TO ${role}`);
    await db.sql.query(`GRANT SELECT, UPDATE ON backie_metrics_snapshot TO ${role}`);
    await db.sql.query(`GRANT USAGE ON SEQUENCE backie_tasks_id_seq TO ${role}`);
    const url = new URL(db.url);
    url.username = role;
    const restricted = new PgTaskStore({ connectionString: url.toString() });
    try {
      await restricted.assertMigrated();
      await expect(restricted.migrate()).rejects.toThrow(/permission denied|must be owner/);
      const client = createEnqueueClient(restricted);
      const { id } = await client({ n: 1 });
      let ran = 0;
      const storeErrors: string[] = [];
      const pool = new WorkerPool({ ...NO_APP, store: restricted, onEvent: (e) => void (e.type === "store:error" && storeErrors.push(`${e.operation}: ${String(e.error)}`)), registry: registryOf(registered(defineTask({
        // A schedule, so that the pool's start writes backie_schedules with these grants too, and
        // a rate limit for backie_rate_limits.
        name: "rw", queue: "d_rw", schedules: [{ cron: "0 0 1 1 *" }], rateLimit: { max: 100, perMs: 1000 }, run(_p: { n?: number }) { ran++; },
      }))) });
      await pool.start();
      await eventually("the task to run", async () => ran === 1);
      await pool.stop();
      expect(await restricted.findTasks([id])).toEqual([]);
      // Registering, heartbeating and leaving the worker registry, and adding throughput, too.
      expect(storeErrors).toEqual([]);
    } finally {
      await restricted.close();
      await db.sql.query(`REVOKE ALL ON backie_tasks, backie_migrations, backie_schedules, backie_queues, backie_workers, backie_stats, backie_metrics_snapshot, backie_rate_limits, backie_fan_ins, backie_fan_in_children FROM ${role}`);
      await db.sql.query(`REVOKE ALL ON SEQUENCE backie_tasks_id_seq FROM ${role}`);
    }
  });

  it("migrate refuses, changing nothing, when an applied migration file was edited since", async () => {
    const dir = migrationsWith("0002_notify_from_inserts.sql", "-- edited after it was applied\nSELECT 1;\n");
    const edited = new PgTaskStore({ connectionString: db.url, migrationsDir: dir });
    try {
      await expect(edited.migrate()).rejects.toThrow("migration file(s) 0002_notify_from_inserts.sql changed after they were applied: restore them and add a new migration instead");
      await expect(edited.assertMigrated()).rejects.toThrow(/0002_notify_from_inserts\.sql changed/);
    } finally {
      await edited.close();
    }
    // The shipped files are unchanged: migrating again is a no-op.
    expect(await store.migrate()).toEqual({ applied: [] });
  });

  it("migrate gives up on a lock after lockTimeoutMs instead of queueing every worker behind it", async () => {
    const dir = migrationsWith("9998_alter.sql", "ALTER TABLE backie_tasks ADD COLUMN never_added integer;\n");
    const holder = await db.sql.connect();
    const migrating = new PgTaskStore({ connectionString: db.url, migrationsDir: dir });
    try {
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE backie_tasks IN ACCESS SHARE MODE");
      const started = Date.now();
      await expect(migrating.migrate({ lockTimeoutMs: 300 })).rejects.toThrow(/migration 9998_alter\.sql waited more than 300 ms for a lock/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await migrating.migrationStatus()).pending).toEqual(["9998_alter.sql"]);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
      await migrating.close();
    }
  });

  it("an upgrade gives roles that write backie_tasks the tables it adds (no 'permission denied' after migrating)", async () => {
    const name = `backie_t_upgrade_${process.pid}`;
    const url = await createDatabase(name);
    const role = `backie_old_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new PgTaskStore({ connectionString: url, maxConnections: 1 });
    const old = tempDir("migrations-old");
    for (const f of readdirSync(DEFAULT_MIGRATIONS_DIR).filter((f) => f < "0004")) copyFileSync(path.join(DEFAULT_MIGRATIONS_DIR, f), path.join(old, f));
    try {
      await new PgTaskStore({ connectionString: url, migrationsDir: old, maxConnections: 1 }).migrate().then(() => undefined);
      await admin.pool.query(`CREATE ROLE ${role} LOGIN`);
      await admin.pool.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON backie_tasks TO ${role}`);
      expect((await admin.migrate()).applied.length).toBeGreaterThanOrEqual(3);
      const { rows } = await admin.pool.query<{ table_name: string }>(
        "SELECT DISTINCT table_name FROM information_schema.role_table_grants WHERE grantee = $1 AND privilege_type = 'UPDATE' ORDER BY 1", [role]);
      expect(rows.map((r) => r.table_name)).toEqual(["backie_fan_in_children", "backie_fan_ins", "backie_metrics_snapshot", "backie_queues", "backie_rate_limits", "backie_schedules", "backie_stats", "backie_tasks", "backie_workers"]);
    } finally {
      await admin.pool.query(`DROP OWNED BY ${role}`).catch(() => {});
      await admin.pool.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await admin.close();
      await dropDatabase(name);
    }
  });

  it("a worker on a database never migrated says which migrations it lacks", async () => {
    const name = `backie_t_never_${process.pid}`;
    const url = await createDatabase(name);
    const never = new PgTaskStore({ connectionString: url });
    try {
      const files = readdirSync(new URL("../../migrations/", import.meta.url)).filter((f) => f.endsWith(".sql")).sort();
      await expect(never.assertMigrated()).rejects.toThrow(`the database lacks ${files.length} migration(s) (${files.join(", ")}): run \`backie migrate\` first`);
    } finally {
      await never.close();
      await dropDatabase(name);
    }
  });

  it("a worker on a database with pending migrations says so in one line", async () => {
    // The shipped migrations plus one this database has not seen, as after an upgrade.
    const dir = migrationsWith("9999_extra.sql", "SELECT 1;\n");
    const fresh = new PgTaskStore({ connectionString: db.url, migrationsDir: dir });
    try {
      await expect(fresh.assertMigrated()).rejects.toThrow(/lacks 1 migration\(s\) \(9999_extra\.sql\): run `backie migrate` first/);
    } finally {
      await fresh.close();
    }
  });
});
