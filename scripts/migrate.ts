/** `npm run migrate`: applies pending migrations to DATABASE_URL (safe to run concurrently). */
import { PgTaskStore } from "../src/db/pgTaskStore.js";

const store = PgTaskStore.fromEnv();
try {
  await store.migrate();
  console.log("migrate: up to date");
} catch (error) {
  console.error(`migrate: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await store.close();
}
