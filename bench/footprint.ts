/**
 * The footprint scenario: what installing the runtime brings into a project, and what a compiled
 * worker (plain node on dist/, no tsx) costs: idle RSS, peak RSS working c=50, and the time from
 * node's start to its first claim.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { fill, record, waitDrained, withDatabase } from "./harness.js";
import { backie } from "./systems.js";

const REPO = fileURLToPath(new URL("../", import.meta.url));
/** A compiled worker's RSS over node and a pg pool alone: idle, and at its peak working. */
const IDLE_OVER_BARE_MB = 20;
const PEAK_OVER_BARE_MB = 45;
const WORKER = fileURLToPath(new URL("./footprintWorker.mjs", import.meta.url));

function sizeMb(dir: string): number {
  let bytes = 0;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      const s = statSync(full, { throwIfNoEntry: false });
      if (!s) continue;
      if (s.isDirectory()) walk(full);
      else bytes += s.size;
    }
  };
  walk(dir);
  return bytes / 2 ** 20;
}

/** Runs the compiled worker until `until` matches a line; returns every line, then stops it. */
async function compiledWorker(url: string, env: Record<string, string>, until: (lines: string[]) => boolean | Promise<boolean>): Promise<string[]> {
  const child = spawn(process.execPath, [WORKER], { cwd: REPO, env: { ...process.env, DATABASE_URL: url, ...env }, stdio: ["pipe", "pipe", "inherit"] });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => lines.push(line));
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const deadline = Date.now() + 120_000;
  while (!(await until(lines))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`footprint worker: ${lines.join(" | ")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.stdin.write("stop\n");
  await exited;
  return lines;
}

const value = (lines: string[], key: string): number => Number(lines.find((l) => l.startsWith(`${key} `))?.split(" ")[1]);

export async function footprintScenario(): Promise<void> {
  // npm install of the packed runtime alone into an empty project.
  const work = mkdtempSync(path.join(tmpdir(), "backie-footprint-"));
  try {
    execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
    const tarball = readdirSync(work).find((f) => /^backie-\d.*\.tgz$/.test(f))!;
    writeFileSync(path.join(work, "package.json"), JSON.stringify({ name: "footprint", private: true, type: "module", dependencies: { backie: `file:./${tarball}` } }));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: work, stdio: ["ignore", "pipe", "inherit"] });
    const mb = sizeMb(path.join(work, "node_modules"));
    record({ scenario: "footprint", system: "backie", variant: "npm install of the runtime alone", note: `node_modules ${mb.toFixed(1)} MB (${readdirSync(path.join(work, "node_modules")).length} entries)`, verified: mb <= 10 ? "ok" : `over 10 MB` });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  await withDatabase(backie, async (url) => {
    await fill(backie, url, 1);
    const started = await compiledWorker(url, {}, (lines) => lines.some((l) => l.startsWith("started ")));
    const ms = value(started, "started");
    record({ scenario: "footprint", system: "backie", variant: "compiled worker: node start to first claim", p50Ms: ms, verified: ms <= 300 ? "ok" : "over 300 ms" });
  });
  // Budgets are Backie's share: over node and pg alone on the same Node line (a bare process's
  // RSS was 39-42 MB across Node 20-26, but node:http alone was 2 MB on Node 20 and 19 on 26).
  let bare = 0;
  await withDatabase(backie, async (url) => {
    bare = value(await compiledWorker(url, { MODE: "bare" }, (lines) => lines.some((l) => l.startsWith("idle "))), "idle");
    record({ scenario: "footprint", system: "raw pg", variant: "node and a listening pg pool: idle RSS", rssMb: bare, verified: "ok" });
  });
  await withDatabase(backie, async (url) => {
    const idle = await compiledWorker(url, { MODE: "idle" }, (lines) => lines.some((l) => l.startsWith("idle ")));
    const rss = value(idle, "idle");
    record({ scenario: "footprint", system: "backie", variant: "compiled worker: idle RSS", rssMb: rss, note: `${(rss - bare).toFixed(0)} MB over node and pg alone`, verified: rss - bare <= IDLE_OVER_BARE_MB ? "ok" : `over ${IDLE_OVER_BARE_MB} MB beyond node and pg` });
  });
  await withDatabase(backie, async (url, sql) => {
    await fill(backie, url, 20_000);
    const lines = await compiledWorker(url, { CONCURRENCY: "50" }, async () => (await backie.pending(sql)) === 0);
    await waitDrained(backie, sql, 10_000);
    const peak = value(lines, "peak");
    record({ scenario: "footprint", system: "backie", variant: "compiled worker: peak RSS, 20,000 tasks at c=50", rssMb: peak, note: `${(peak - bare).toFixed(0)} MB over node and pg alone, idle`, verified: peak - bare <= PEAK_OVER_BARE_MB ? "ok" : `over ${PEAK_OVER_BARE_MB} MB beyond node and pg` });
  });
}
