import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { WorkerSpec } from "./worker.js";

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

export interface WorkerResult {
  /** Runs per payload index. */
  runs: Uint16Array;
  maxRssMb: number;
  latencies: number[];
  /** Statements the process sent between the start and stop signals. */
  statements: number;
  /** With `timeClaims`: (epoch ms, duration ms) pairs of claims, and of stamped tasks' starts (latency). */
  claims?: number[];
  startTimes?: number[];
}

export interface BenchWorker {
  child: ChildProcess;
  /** Tasks this process has run so far (it reports every 20 ms). */
  progress(): number;
  ready: Promise<void>;
  go(): void;
  stop(): Promise<WorkerResult>;
}

/** Starts bench/worker.ts for one system in its own process. */
export function spawnWorker(spec: WorkerSpec): BenchWorker {
  // BENCH_CPU_PROF=dir writes a CPU profile of each worker process there; BENCH_NODE_FLAGS
  // (space-separated) are given to node as they are, e.g. "--log-deopt --logfile=/tmp/v8.log".
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, ...(process.env.BENCH_NODE_FLAGS?.split(" ") ?? []), "--import", "tsx", WORKER, JSON.stringify(spec)], { stdio: ["pipe", "pipe", "inherit"] });
  let buffer = "";
  let ran = 0;
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    for (const line of parts) {
      if (line.startsWith("progress ")) ran = Number(line.slice(9));
      else lines.push(line);
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const nextLine = async (match: (line: string) => boolean): Promise<string> => {
    for (;;) {
      const found = lines.find(match);
      if (found !== undefined) return found;
      if (child.exitCode !== null) throw new Error(`bench worker ${spec.system} exited with ${child.exitCode}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  child.on("exit", () => waiters.splice(0).forEach((wake) => wake()));
  return {
    child,
    progress: () => ran,
    ready: nextLine((l) => l === "ready").then(() => undefined),
    go: () => child.stdin.write("go\n"),
    async stop() {
      child.stdin.write("stop\n");
      const json = JSON.parse(await nextLine((l) => l.startsWith("{"))) as Omit<WorkerResult, "runs"> & { runs: string };
      const bytes = Buffer.from(json.runs, "base64");
      return { ...json, runs: new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2) };
    },
  };
}

/** Sums runs per index over several workers and checks each task ran exactly once. */
export function exactlyOnce(results: WorkerResult[], expect: number): { ok: boolean; missing: number; duplicates: number } {
  let missing = 0;
  let duplicates = 0;
  for (let i = 0; i < expect; i++) {
    const n = results.reduce((sum, r) => sum + (r.runs[i] ?? 0), 0);
    if (n === 0) missing++;
    if (n > 1) duplicates++;
  }
  return { ok: missing === 0 && duplicates === 0, missing, duplicates };
}
