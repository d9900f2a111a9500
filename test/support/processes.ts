import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./workerProcess.ts", import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** Every line printed so far. */
  lines: string[];
  ready: Promise<void>;
  exited: Promise<number | null>;
}

/** Starts test/support/workerProcess.ts in a new Node process (through tsx). */
export function spawnWorker(env: Record<string, string>, script: string = WORKER): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let buffered = "";
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    for (const line of parts) {
      if (line === "ready") markReady();
      lines.push(line);
    }
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => {
    if (code !== 0 && code !== null && stderr) console.error(stderr);
    resolve(code);
  }));
  return { child, lines, ready, exited };
}

/** `ran <id> <attempt>` lines of a worker: its successful runs. */
export function runsOf(worker: WorkerProcess): Array<{ id: string; attempt: number }> {
  return worker.lines
    .filter((l) => l.startsWith("ran "))
    .map((l) => {
      const [, id, attempt] = l.split(" ");
      return { id: id!, attempt: Number(attempt) };
    });
}

/** Every process below `pid` (children, their children, ...). */
export function descendants(pid: number): number[] {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split("\n")) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    children.set(pp!, [...(children.get(pp!) ?? []), p!]);
  }
  const all: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop()!) ?? []) {
      all.push(c);
      stack.push(c);
    }
  }
  return all;
}

/** Whether a process with this pid exists. */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

