import pg from "pg";

/** The server used by tests and dev scripts: DATABASE_URL, or this machine's local PostgreSQL. */
export function adminUrl(): string {
  return process.env.BACKIE_TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}

/** The same server, another database. */
export function urlFor(database: string, base: string = adminUrl()): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  return `"${name}"`;
}

/** Creates (or re-creates) a database, optionally cloned from a template. */
export async function createDatabase(name: string, template?: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    await admin.query(
      `CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ""}`,
    );
  } finally {
    await admin.end();
  }
  return urlFor(name);
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
