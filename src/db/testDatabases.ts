import pg from "pg";

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
