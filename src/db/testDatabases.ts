import pg from "pg";
import { TYPES } from "./pgConnection.js";

/*
 * Databases for tests (backie/testing): created from a template, dropped after. CREATE and DROP
 * DATABASE take names, not parameters, so these two statements are built here, from names this
 * module checks; nothing else in the runtime builds SQL.
 */

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  return `"${name}"`;
}

/** The same server as `url`, another database. */
export function urlForDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Runs `body` on an admin connection holding an advisory lock (test files of a run create the
 * shared template one at a time), then releases it.
 */
export async function withAdmin<T>(adminUrl: string, body: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await body(admin);
  } finally {
    await admin.end();
  }
}

export async function databaseExists(admin: pg.Client, name: string): Promise<boolean> {
  return (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
}

export async function createDatabaseNamed(admin: pg.Client, name: string, template?: string): Promise<void> {
  await admin.query(`CREATE DATABASE ${ident(name)}${template === undefined ? "" : ` TEMPLATE ${ident(template)}`}`);
}

export async function dropDatabaseNamed(admin: pg.Client, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
}

export async function lockTemplates(admin: pg.Client): Promise<void> {
  // Any constant: the key of "creating a test template" across this server's clients.
  await admin.query("SELECT pg_advisory_lock(7263545317)");
}

/**
 * A pool of one connection whose every statement runs inside one transaction, rolled back by
 * `rollback()`: a test's writes vanish without a trace. The store's own transactions (schedule
 * reconciliation, migrations) become savepoints inside it. One connection: statements take
 * turns, and notifications are never delivered (they are sent at commit), so workers poll.
 */
export async function transactionPool(url: string): Promise<{ pool: pg.Pool; rollback(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0, types: TYPES });
  pool.on("error", () => {});
  const client = await pool.connect();
  await client.query("BEGIN");
  const nested: Record<string, string> = {
    BEGIN: "SAVEPOINT backie_test_tx",
    COMMIT: "RELEASE SAVEPOINT backie_test_tx",
    ROLLBACK: "ROLLBACK TO SAVEPOINT backie_test_tx",
  };
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, ...rest: unknown[]) =>
    query(typeof text === "string" && Object.hasOwn(nested, text) ? nested[text] : text, ...rest);
  client.release();
  return {
    pool,
    async rollback() {
      const c = await pool.connect();
      try {
        await query.call(c, "ROLLBACK");
      } finally {
        c.release();
        await pool.end();
      }
    },
  };
}
