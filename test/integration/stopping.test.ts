/**
 * Every way a process manager stops a worker, tried with real processes: the signal to the
 * worker, to an npx-style wrapper (npm -> sh -> node: npm forwards to sh, which dies without
 * passing it on), to the whole process group (systemd's default stop, `kill -- -PGID`, Ctrl-C),
 * and a container stop (SIGTERM to PID 1 of a PID namespace). Each time: one graceful shutdown
 * (no "second signal" exit), runs in flight finish, nothing starts after the stop, every other
 * task is still ready with no attempt spent, exit code 0.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { eventually, testDatabase } from "../support/db.js";
import { alive, descendants } from "../support/processes.js";
import { newTask } from "../support/tasks.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const WORKER = "test/support/stopWorker.ts";
const NODE = [process.execPath, "--import", "tsx", WORKER];

type Shape = { label: string; command: string[]; detached?: boolean; target: (child: ChildProcess) => number; signal: NodeJS.Signals; slack: number };

const shapes: Shape[] = [
  { label: "SIGTERM to the worker", command: NODE, target: (c) => c.pid!, signal: "SIGTERM", slack: 0 },
  { label: "SIGINT to the worker", command: NODE, target: (c) => c.pid!, signal: "SIGINT", slack: 0 },
  // The worker learns of it when its shell dies: within the 50 ms parent check.
  { label: "SIGTERM to the npx-style wrapper only", command: ["npm", "exec", "-c", NODE.join(" ")], target: (c) => c.pid!, signal: "SIGTERM", slack: 250 },
  { label: "SIGTERM to the process group (npm -> sh -> node)", command: ["npm", "exec", "-c", NODE.join(" ")], detached: true, target: (c) => -c.pid!, signal: "SIGTERM", slack: 0 },
  { label: "SIGINT to the process group (Ctrl-C)", command: ["npm", "exec", "-c", NODE.join(" ")], detached: true, target: (c) => -c.pid!, signal: "SIGINT", slack: 0 },
  { label: "a container stop (SIGTERM to PID 1 of its own PID namespace)", command: ["unshare", "--pid", "--fork", "--kill-child", ...NODE], target: (c) => descendants(c.pid!)[0]!, signal: "SIGTERM", slack: 0 },
];

describe("stopping a worker", () => {
  for (const shape of shapes) {
    it(`${shape.label}: finishes the runs in flight, starts nothing after, hands back the rest`, async () => {
      const db = await testDatabase(`stopping ${shape.label}`);
      const store = db.store();
      const ids = (await store.insertTasks(Array.from({ length: 40 }, () => newTask("nap", "stop", { ms: 400 })))).map((t) => t.id);
      const child = spawn(shape.command[0]!, shape.command.slice(1), {
        cwd: REPO, detached: shape.detached ?? false,
        env: { ...process.env, DATABASE_URL: db.url, BACKIE_LOG_FORMAT: "pretty", BACKIE_LOG_LEVEL: "debug", BACKIE_TEST_WORKERS: "4" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
      child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      await eventually("four runs to start", async () => (output.match(/^start /gm) ?? []).length >= 4, 30_000);
      const below = descendants(child.pid!);
      const signalledAt = Date.now();
      process.kill(shape.target(child), shape.signal);
      await exited;
      await eventually("every process below the wrapper to end", async () => below.every((pid) => !alive(pid)), 20_000);

      const starts = [...output.matchAll(/^start (\d+) (\d+)$/gm)].map((m) => ({ id: m[1]!, at: Number(m[2]) }));
      const ends = [...output.matchAll(/^end (\d+) \d+ (\w+)$/gm)].map((m) => ({ id: m[1]!, how: m[2]! }));
      expect(output, output).not.toMatch(/second SIG|exiting now/);
      expect(output).toMatch(/shutting down gracefully/);
      expect(output).toMatch(/worker \S+ stopped/);
      // Nothing started after the stop (the wrapper's case: within its parent check).
      expect(starts.filter((s) => s.at > signalledAt + shape.slack), output).toEqual([]);
      // Every run that started finished, within the deadline, not aborted.
      expect(ends.map((e) => e.id).sort()).toEqual(starts.map((s) => s.id).sort());
      expect(ends.every((e) => e.how === "ok"), output).toBe(true);
      // Finished ones are gone (removeDone); the others wait, ready, no attempt spent, no lease.
      const { rows } = await db.sql.query<{ id: string; state: string; attempts: number; lease_owner: string | null }>(
        "SELECT id::text, state::text, attempts, lease_owner FROM backie_tasks ORDER BY id");
      const started = new Set(starts.map((s) => s.id));
      expect(rows.map((r) => r.id).sort()).toEqual(ids.filter((id) => !started.has(id)).sort());
      expect(rows.every((r) => r.state === "ready" && r.attempts === 0 && r.lease_owner === null), JSON.stringify(rows)).toBe(true);
    }, 90_000);
  }
});
