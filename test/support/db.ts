import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";
import { PgTaskStore, type PgTaskStoreOptions } from "../../src/db/pgTaskStore.js";
import { createDatabase, dropDatabase } from "../../scripts/lib/databases.js";

const TEMPLATE = "backie_test_template";

export interface TestDatabase {
  name: string;
  url: string;
  /** A raw pool for assertions and for simulating other writers (raw SQL is fine in tests). */
  sql: pg.Pool;
  store(options?: Omit<PgTaskStoreOptions, "connectionString" | "pool">): PgTaskStore;
}

/** A fresh database for this test file, cloned from the migrated template, dropped afterwards. */
export async function testDatabase(label: string): Promise<TestDatabase> {
  const name = `backie_t_${createHash("sha1").update(`${label}:${process.pid}:${Math.random()}`).digest("hex").slice(0, 12)}`;
  const url = await createDatabase(name, TEMPLATE);
  const sql = new pg.Pool({ connectionString: url, max: 4 });
  sql.on("error", () => {}); // tests end sessions on purpose

  const stores: PgTaskStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await sql.end();
    await dropDatabase(name);
  });
  return {
    name, url, sql,
    store(options = {}) {
      const store = new PgTaskStore({ connectionString: url, ...options });
      stores.push(store);
      return store;
    },
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `what`). */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
