/**
 * `npm run sql [-- --check]`: regenerates the pgtyped output under src/db/queries from a fresh
 * database migrated from migrations/. With --check, fails when the committed output is stale or
 * a query is invalid. pgtyped exits 0 even with failOnError, so its log is read for errors too.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PgTaskStore } from "../src/db/pgTaskStore.js";
import { createDatabase, dropDatabase } from "./lib/databases.js";

const OUT_DIR = "src/db/queries";
const check = process.argv.includes("--check");

function snapshot(): Map<string, string> {
  return new Map(
    readdirSync(OUT_DIR)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => [f, readFileSync(path.join(OUT_DIR, f), "utf8")]),
  );
}

const dbName = `backie_sqlgen_${process.pid}`;
const before = snapshot();
const url = await createDatabase(dbName);
let failed = false;
try {
  const store = new PgTaskStore({ connectionString: url });
  await store.migrate();
  await store.close();
  const run = spawnSync("npx", ["pgtyped", "-c", "pgtyped.config.json"], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  const log = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0 || /error/i.test(log)) {
    console.error(log);
    console.error("sql: pgtyped reported errors (see above): fix the query in sql/ it names.");
    failed = true;
  }
  // The generated files run on our thin executor, not on pgtyped's runtime (which loads its parser).
  for (const file of readdirSync(OUT_DIR).filter((f) => f.endsWith(".queries.ts"))) {
    const full = path.join(OUT_DIR, file);
    const text = readFileSync(full, "utf8");
    const rewritten = text.replace("import { PreparedQuery } from '@pgtyped/runtime';", "import { PreparedQuery } from '../preparedQuery.js';");
    if (rewritten === text && !text.includes("'../preparedQuery.js'")) {
      console.error(`sql: ${file} does not import PreparedQuery from @pgtyped/runtime as expected: update scripts/sqlGen.ts`);
      failed = true;
    }
    writeFileSync(full, rewritten);
  }
  if (check) {
    const after = snapshot();
    const stale = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
    for (const [file, text] of before) writeFileSync(path.join(OUT_DIR, file), text);
    if (stale.length > 0) {
      console.error(`sql: ${stale.join(", ")} in ${OUT_DIR} is stale: run \`npm run sql\` and commit.`);
      failed = true;
    } else if (!failed) {
      console.log("sql: pgtyped output is up to date");
    }
  } else if (!failed) {
    console.log(`sql: wrote ${OUT_DIR}`);
  }
} finally {
  await dropDatabase(dbName);
}
process.exit(failed ? 1 : 0);
