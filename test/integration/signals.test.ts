/**
 * A container stop signals the process the user started: `npm run worker`, or `backie worker`
 * through npm. The worker itself must get the signal and shut down gracefully; nothing may be
 * left running.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { eventually, testDatabase } from "../support/db.js";
import { alive, descendants } from "../support/processes.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const db = await testDatabase("signals");

for (const [label, args, signal] of [
  ["npm run worker", ["run", "worker"], "SIGTERM"],
  ["npm run worker", ["run", "worker"], "SIGINT"],
  ["npm run backie -- worker", ["run", "backie", "--", "worker"], "SIGTERM"],
] as const) {
  it(`${label} ends gracefully on ${signal} sent to npm, leaving no process behind`, async () => {
    const child = spawn("npm", args, { cwd: REPO, env: { ...process.env, DATABASE_URL: db.url, BACKIE_LOG_FORMAT: "pretty" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await eventually("the worker to start", async () => output.includes("started; queues"), 30_000);
    const below = descendants(child.pid!);
    expect(below.length).toBeGreaterThan(0);
    child.kill(signal);
    await exited;
    await eventually("every process below npm to end", async () => below.every((pid) => !alive(pid)), 15_000);
    expect(output).toContain(`${signal} received, shutting down gracefully`);
    expect(output).toMatch(/worker \S+ stopped/);
  }, 60_000);
}
