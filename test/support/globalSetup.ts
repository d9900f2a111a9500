import { PgTaskStore } from "../../src/db/pgTaskStore.js";
import { createDatabase, dropDatabase } from "../../scripts/lib/databases.js";

export const TEMPLATE = "backie_test_template";

/** One migrated template per run; each test file clones it (CREATE DATABASE ... TEMPLATE is fast). */
export async function setup(): Promise<() => Promise<void>> {
  const url = await createDatabase(TEMPLATE);
  const store = new PgTaskStore({ connectionString: url });
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  return async () => {
    await dropDatabase(TEMPLATE);
  };
}
