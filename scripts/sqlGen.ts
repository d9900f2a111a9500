/**
 * `npm run sql [-- --check]`: regenerates the pgtyped output under src/db/queries from a fresh
 * database migrated from migrations/. With --check, fails when the committed output is stale or
 * a query is invalid. pgtyped exits 0 even with failOnError, so its log is read for errors too.
 * pgtyped writes into a temporary directory, never into src/: `npm test` runs this check beside
 * the suite, whose `backie check` type-checks src/ (a half-written query file there failed it).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PgTaskStore } from "../src/db/pgTaskStore.js";
import { createDatabase, dropDatabase } from "./lib/databases.js";

const OUT_DIR = "src/db/queries";
const check = process.argv.includes("--check");

function queryFiles(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith(".queries.ts"))
      .map((f) => [f, readFileSync(path.join(dir, f), "utf8")]),
  );
}

const dbName = `backie_sqlgen_${process.pid}`;
const url = await createDatabase(dbName);
const work = mkdtempSync(path.join(tmpdir(), "backie-sqlgen-"));
let failed = false;
try {
  const store = new PgTaskStore({ connectionString: url });
  await store.migrate();
  await store.close();
  // The repository's config, with every output sent to the temporary directory.
  const config = JSON.parse(readFileSync("pgtyped.config.json", "utf8")) as { srcDir: string; transforms: Array<{ emitTemplate: string }> };
  config.srcDir = path.resolve(config.srcDir);
  for (const t of config.transforms) t.emitTemplate = path.join(work, path.basename(t.emitTemplate));
  writeFileSync(path.join(work, "pgtyped.config.json"), JSON.stringify(config));
  const run = spawnSync("npx", ["pgtyped", "-c", path.join(work, "pgtyped.config.json")], {
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
  const generated = new Map<string, string>();
  for (const [file, text] of queryFiles(work)) {
    const rewritten = text.replace("import { PreparedQuery } from '@pgtyped/runtime';", "import { PreparedQuery } from '../preparedQuery.js';");
    if (rewritten === text) {
      console.error(`sql: ${file} does not import PreparedQuery from @pgtyped/runtime as expected: update scripts/sqlGen.ts`);
      failed = true;
    }
    generated.set(file, rewritten);
  }
  if (generated.size === 0 && !failed) {
    console.error(`sql: pgtyped wrote nothing to ${work}`);
    failed = true;
  }
  if (check) {
    const committed = queryFiles(OUT_DIR);
    const stale = [...new Set([...committed.keys(), ...generated.keys()])].filter((f) => committed.get(f) !== generated.get(f));
    if (stale.length > 0) {
      console.error(`sql: ${stale.join(", ")} in ${OUT_DIR} is stale: run \`npm run sql\` and commit.`);
      failed = true;
    } else if (!failed) {
      console.log("sql: pgtyped output is up to date");
    }
  } else if (!failed) {
    for (const [file, text] of generated) writeFileSync(path.join(OUT_DIR, file), text);
    console.log(`sql: wrote ${OUT_DIR}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  await dropDatabase(dbName);
}
process.exit(failed ? 1 : 0);
