/**
 * A script that enqueues with the generated default client ends when its work does (idle
 * connections do not hold it for pg's 10 s idle timeout), can close the client, and on a database
 * that was never migrated says to run `backie migrate`.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/lib/databases.js";
import { testDatabase } from "../support/db.js";
import { tempDir } from "../support/tempDir.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const db = await testDatabase("enqueue_script");
const emptyName = `backie_t_empty_${process.pid}`;
const emptyUrl = await createDatabase(emptyName);
afterAll(() => dropDatabase(emptyName));

function script(body: string): string {
  const file = path.join(tempDir("script"), "script.mts");
  const generated = pathToImport(path.join(REPO, "generated/enqueue.js"));
  writeFileSync(file, `import { enqueue, closeEnqueue } from ${JSON.stringify(generated)};\nvoid closeEnqueue;\n${body}\n`);
  return file;
}
const pathToImport = (p: string) => new URL(`file://${p}`).href;

async function run(file: string, url: string): Promise<{ ms: number; stdout: string; stderr: string; code: number }> {
  const started = Date.now();
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", file], { env: { ...process.env, DATABASE_URL: url }, timeout: 30_000 });
    return { ms: Date.now() - started, stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { ms: Date.now() - started, stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

it("ends right after its last enqueue, without closing anything", async () => {
  const { ms, stdout, code } = await run(script(`const r = await enqueue.sendWelcomeEmail({ to: "script@example.com", name: "S" });\nconsole.log("id", r.id);`), db.url);
  expect(code).toBe(0);
  expect(stdout).toMatch(/^id \d+/);
  // Node and tsx start in ~1-2 s here; pg's idle timeout alone used to add 10 s.
  expect(ms).toBeLessThan(8_000);
}, 40_000);

it("closes the default client on request, and reopens on next use", async () => {
  const { stdout, code } = await run(script(`await enqueue.sendWelcomeEmail({ to: "a@example.com", name: "A" });\nawait closeEnqueue();\nawait enqueue.sendWelcomeEmail({ to: "b@example.com", name: "B" });\nawait closeEnqueue();\nconsole.log("done");`), db.url);
  expect(code).toBe(0);
  expect(stdout.trim()).toBe("done");
}, 40_000);

it("on a database that was never migrated, says to run backie migrate", async () => {
  const { stderr, code } = await run(script(`try { await enqueue.sendWelcomeEmail({ to: "x@example.com", name: "X" }); } catch (e) { console.error((e as Error).message); process.exit(3); }`), emptyUrl);
  expect(code).toBe(3);
  expect(stderr).toMatch(/Backie's tables are missing or out of date \(relation "backie_tasks" does not exist\): run `backie migrate` first/);
}, 40_000);
