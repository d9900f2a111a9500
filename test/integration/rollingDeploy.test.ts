/**
 * A rolling deploy as it happens: two generated versions of one project, v1 and v2 of a task
 * whose payload gains a required field (with its upgrade), each with its own `backie gen` output,
 * worker process and enqueue process, sharing one database. v1 and v2 workers run side by side
 * under a stream of v1 and v2 enqueues; then the v1 worker is stopped with SIGTERM. Every task
 * runs once, under code that knows its version; v1 never runs a v2 payload; nothing is left.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runGen } from "../../codegen/cli.js";
import { eventually, testDatabase } from "../support/db.js";
import { tempDir } from "../support/tempDir.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const RUNTIME = path.join(REPO, "src/index.js");
const db = await testDatabase("rolling_deploy");

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

const v1Task = `import { defineTask } from ${JSON.stringify(RUNTIME)};
export default defineTask({
  name: "greet", queue: "rolling",
  async run(payload: { to: string }, ctx) {
    process.stdout.write(\`ran \${ctx.task.id} v1 \${JSON.stringify(payload)}\\n\`);
  },
});
`;
const v2Task = `import { defineTask } from ${JSON.stringify(RUNTIME)};
import type { GreetV1 } from "../generated/versions.js";
export default defineTask({
  name: "greet", queue: "rolling",
  async run(payload: { to: string; locale: "en" | "de" }, ctx) {
    if (payload.locale !== "en" && payload.locale !== "de") throw new Error("v2 ran a payload without locale");
    process.stdout.write(\`ran \${ctx.task.id} v2 \${JSON.stringify(payload)}\\n\`);
  },
  upgrades: { 1: (old: GreetV1) => ({ ...old, locale: "en" as const }) },
});
`;
// Enqueues through the project's own generated client, a few at a time, printing each id.
const enqueuer = (version: number) => `import { closeEnqueue, enqueue } from "./generated/enqueue.js";
for (let i = 0; i < 40; i++) {
  const { id } = await enqueue.greet(${version === 1 ? "{ to: `v1-${i}@example.com` }" : "{ to: `v2-${i}@example.com`, locale: \"de\" }"});
  process.stdout.write(\`enqueued \${id}\\n\`);
  await new Promise((r) => setTimeout(r, 25));
}
await closeEnqueue();
`;

/** A project folder with its own `backie gen` output; v2's baseline is v1's released manifest. */
function project(name: string, task: string, baseline?: string): string {
  const root = path.join(base, name);
  mkdirSync(path.join(root, "tasks"), { recursive: true });
  writeFileSync(path.join(root, "tasks", "greet.ts"), task);
  writeFileSync(path.join(root, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(path.join(root, "backie.config.json"), JSON.stringify({ runtimeImport: RUNTIME, ...(baseline ? { manifestBaseline: baseline } : {}) }));
  writeFileSync(path.join(root, "enqueue.ts"), enqueuer(name === "v1" ? 1 : 2));
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const status = runGen(["--root", root]);
    if (status !== 0) throw new Error(`backie gen failed for ${name}: ${error.mock.calls.flat().join(" ")}`);
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return root;
}

function start(file: string): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: REPO, env: { ...process.env, DATABASE_URL: db.url, BACKIE_LOG_FORMAT: "pretty", BACKIE_LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const lines: string[] = [];
  let partial = "";
  const take = (chunk: string) => {
    partial += chunk;
    const parts = partial.split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
  };
  child.stdout.setEncoding("utf8").on("data", take);
  child.stderr.setEncoding("utf8").on("data", take);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, exited };
}

/** Waits for a line containing `text`; on time-out, says what the process printed. */
async function until(proc: { lines: string[] }, text: string): Promise<void> {
  await eventually(`a line with "${text}"`, async () => proc.lines.some((l) => l.includes(text)), 30_000)
    .catch((error: Error) => { throw new Error(`${error.message}; the process printed:\n${proc.lines.join("\n")}`); });
}

const base = tempDir("rolling");

describe("a rolling deploy between two generated versions, in real processes", () => {
  it("v1 and v2 workers side by side: each task once, under code that knows its version; none left after v1 stops", async () => {
    const v1 = project("v1", v1Task);
    cpSync(path.join(v1, "generated", "manifest.json"), path.join(base, "released.json"));
    const v2 = project("v2", v2Task, path.join(base, "released.json"));

    const oldWorker = start(path.join(v1, "generated", "worker.ts"));
    await until(oldWorker, "started; queues");
    const oldEnqueue = start(path.join(v1, "enqueue.ts"));
    await until(oldEnqueue, "enqueued ");
    const newWorker = start(path.join(v2, "generated", "worker.ts"));
    const newEnqueue = start(path.join(v2, "enqueue.ts"));
    expect(await oldEnqueue.exited).toBe(0);
    expect(await newEnqueue.exited).toBe(0);
    await until(newWorker, "started; queues");

    // The old deploy goes away the way Kubernetes stops a pod.
    oldWorker.child.kill("SIGTERM");
    expect(await oldWorker.exited).toBe(0);
    // An old enqueuer still running after the last old worker stopped (an app not yet redeployed):
    // only v2 can run these, through the upgrade. (Before, the old worker may have run every v1
    // task itself on a fast machine, or left them all to v2 on a slow one.)
    const lateEnqueue = start(path.join(v1, "enqueue.ts"));
    expect(await lateEnqueue.exited).toBe(0);

    const ids = (lines: string[]) => lines.filter((l) => l.startsWith("enqueued ")).map((l) => l.split(" ")[1]!);
    const lateIds = new Set(ids(lateEnqueue.lines));
    const v1Ids = new Set([...ids(oldEnqueue.lines), ...lateIds]);
    const v2Ids = new Set(ids(newEnqueue.lines));
    expect(v1Ids.size).toBe(80);
    expect(v2Ids.size).toBe(40);
    await eventually("every task to run", async () => (await db.sql.query("SELECT 1 FROM backie_tasks WHERE state IN ('ready', 'running')")).rowCount === 0, 60_000);
    newWorker.child.kill("SIGTERM");
    expect(await newWorker.exited).toBe(0);

    const runs = [...oldWorker.lines, ...newWorker.lines].filter((l) => l.startsWith("ran ")).map((l) => {
      const [, id, worker, json] = /^ran (\d+) (v1|v2) (.*)$/.exec(l)!;
      return { id: id!, worker: worker!, payload: JSON.parse(json!) as { to: string; locale?: string } };
    });
    // Each task once, none lost, none failed.
    expect(runs.map((r) => r.id).sort()).toEqual([...v1Ids, ...v2Ids].sort());
    const { rows } = await db.sql.query("SELECT state::text, count(*)::int AS n FROM backie_tasks GROUP BY state");
    expect(rows.filter((r) => r.state !== "done")).toEqual([]);
    // v1 never ran a v2 payload; v2 ran v1 payloads through the upgrade.
    for (const run of runs.filter((r) => r.worker === "v1")) expect(v1Ids.has(run.id), `v1 ran ${run.id}`).toBe(true);
    for (const run of runs.filter((r) => r.worker === "v2")) {
      expect(run.payload).toEqual(v1Ids.has(run.id) ? { to: run.payload.to, locale: "en" } : { to: run.payload.to, locale: "de" });
    }
    expect(runs.some((r) => r.worker === "v1")).toBe(true);
    expect(runs.filter((r) => lateIds.has(r.id)).map((r) => `${r.worker} ${r.payload.locale}`)).toEqual(Array.from({ length: 40 }, () => "v2 en"));
  }, 180_000);
});
