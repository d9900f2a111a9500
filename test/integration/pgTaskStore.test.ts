import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PgTaskStore } from "../../src/db/pgTaskStore.js";
import { createDatabase, dropDatabase } from "../../scripts/lib/databases.js";
import { testDatabase } from "../support/db.js";
import { storeConformance } from "./storeConformance.js";

const db = await testDatabase("pgTaskStore");

storeConformance("PgTaskStore", async () => db.store());
storeConformance("PgTaskStore without prepared statements", async () => db.store({ preparedStatements: false }));

describe("PgTaskStore.migrate", () => {
  it("applies every migration once, even when processes migrate at the same time", async () => {
    const name = `backie_migrate_${process.pid}`;
    const url = await createDatabase(name);
    try {
      const stores = Array.from({ length: 4 }, () => new PgTaskStore({ connectionString: url }));
      await Promise.all(stores.map((s) => s.migrate()));
      await stores[0]!.migrate();
      const { rows } = await stores[0]!.pool.query("SELECT name FROM backie_migrations");
      expect(rows.map((r) => r.name).sort()).toEqual(readdirSync(new URL("../../migrations/", import.meta.url)).filter((f) => f.endsWith(".sql")).sort());
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropDatabase(name);
    }
  });
});
