import { parseArgs } from "node:util";
import { BackieError, queueNameProblem, taskNameProblem, WORKER_STALE_MS, type PgTaskStore } from "../../src/index.js";
import { COMMON_HELP, COMMON_OPTIONS, openStore, printable, projectContext } from "../context.js";
import type { Command } from "./command.js";

/** Runs `body` with a store for the command's options, closing it afterwards. */
async function withStore(values: Parameters<typeof projectContext>[0], body: (store: PgTaskStore) => Promise<number>): Promise<number> {
  const store = openStore(values, projectContext(values));
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

function queueArgument(value: string | undefined, command: string): string {
  if (value === undefined) throw new BackieError(`missing queue name (backie ${command} <queue>)`);
  const problem = queueNameProblem(value);
  if (problem) throw new BackieError(`queue "${printable(value)}" ${problem}`);
  return value;
}

function pauseCommand(name: "pause" | "resume"): Command {
  const paused = name === "pause";
  return {
    name,
    summary: paused ? "stop every worker from claiming tasks of a queue (running ones finish)" : "let workers claim from a paused queue again",
    usage: `Usage: backie ${name} <queue>\n\n${paused
      ? "Every worker of every process stops claiming from the queue at its next poll; running tasks\nfinish; enqueueing still works. Stored in the database: survives restarts."
      : "Workers are woken at once."}\n\nOptions:\n${COMMON_HELP}`,
    async run(argv) {
      const { values, positionals } = parseArgs({ args: argv, options: COMMON_OPTIONS, allowPositionals: true });
      const queue = queueArgument(positionals[0], name);
      return withStore(values, async (store) => {
        await store.admin.setQueuePaused(queue, paused);
        console.log(paused ? `queue ${queue} paused: workers claim nothing from it until \`backie resume ${queue}\`` : `queue ${queue} resumed`);
        return 0;
      });
    },
  };
}

export const pause = pauseCommand("pause");
export const resume = pauseCommand("resume");

export const workers: Command = {
  name: "workers",
  summary: "running worker pools: host, pid, generation, queues, task versions, last seen",
  usage: `Usage: backie workers [--json]\n\nPools register at start and leave at a clean stop; one not seen for ${WORKER_STALE_MS / 1000} s (crashed) is not listed.\n\nOptions:\n  --json                print JSON\n${COMMON_HELP}`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, json: { type: "boolean", default: false } } });
    return withStore(values, async (store) => {
      const { now, workers: list } = await store.admin.listWorkers(WORKER_STALE_MS);
      if (values.json) console.log(JSON.stringify(list, null, 2));
      else if (list.length === 0) console.log("no running workers");
      else {
        for (const w of list) {
          const queues = Object.entries(w.queues).map(([q, n]) => `${q}×${n}`).join(", ");
          console.log(`${w.owner}  host ${w.host} pid ${w.pid}  generation ${w.generation ?? 0}  queues ${queues}  started ${w.startedAt.toISOString()}  seen ${Math.max(0, Math.round((now.getTime() - w.lastSeenAt.getTime()) / 1000))} s ago`);
          const tasks = Object.entries(w.tasks ?? {}).map(([name, version]) => `${name} v${version}`).join(", ");
          if (tasks !== "") console.log(`  runs ${tasks}`);
        }
      }
      return 0;
    });
  },
};

const ACTIONS = ["retry-failed", "cancel-ready", "delete-finished"] as const;
const BATCH = 1_000;

export const bulk: Command = {
  name: "bulk",
  summary: "retry failed, cancel ready or delete finished tasks by queue and task name, in batches",
  usage: `Usage: backie bulk retry-failed [--queue Q] [--task T]
       backie bulk cancel-ready --queue Q [--task T]
       backie bulk delete-finished --older-than DURATION [--state done|failed|cancelled] [--queue Q] [--task T]

Works in batches of ${BATCH} rows, skipping rows that workers hold at that moment, and prints how
many it changed. DURATION: a number with ms, s, min, h or d (e.g. 7d).

Options:
  --queue Q, --task T   only tasks of this queue or task name
  --older-than D        delete-finished: finished more than D ago
  --state S             delete-finished: only done, failed or cancelled rows
${COMMON_HELP}`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: { ...COMMON_OPTIONS, queue: { type: "string" }, task: { type: "string" }, "older-than": { type: "string" }, state: { type: "string" } },
    });
    const action = positionals[0] as (typeof ACTIONS)[number] | undefined;
    if (!action || !ACTIONS.includes(action)) throw new BackieError(`unknown or missing action${action ? ` "${printable(action)}"` : ""}: use ${ACTIONS.join(", ")}`);
    const filter = {
      ...(values.queue !== undefined ? { queueName: queueArgument(values.queue, "bulk --queue") } : {}),
      ...(values.task !== undefined ? { taskName: checkedTask(values.task) } : {}),
    };
    if (action === "cancel-ready" && filter.queueName === undefined) throw new BackieError("cancel-ready needs --queue (cancelling every ready task of every queue is rarely meant)");
    let olderThanMs = 0;
    let state: "done" | "failed" | "cancelled" | undefined;
    if (action === "delete-finished") {
      if (values["older-than"] === undefined) throw new BackieError("delete-finished needs --older-than (e.g. 7d)");
      olderThanMs = duration(values["older-than"]);
      if (values.state !== undefined) {
        if (!["done", "failed", "cancelled"].includes(values.state)) throw new BackieError(`--state must be done, failed or cancelled, got "${printable(values.state)}"`);
        state = values.state as typeof state;
      }
    }
    return withStore(values, async (store) => {
      let total = 0;
      for (;;) {
        const ids = action === "retry-failed" ? await store.admin.retryFailedTasks(filter, BATCH)
          : action === "cancel-ready" ? await store.admin.cancelReadyTasks(filter, BATCH)
            : await store.admin.deleteFinishedTasks({ ...filter, ...(state ? { state } : {}) }, olderThanMs, BATCH);
        total += ids.length;
        if (ids.length < BATCH) break;
      }
      const verb = action === "retry-failed" ? "retried" : action === "cancel-ready" ? "cancelled" : "deleted";
      console.log(`${verb} ${total} task(s)`);
      return 0;
    });
  },
};

function checkedTask(name: string): string {
  const problem = taskNameProblem(name);
  if (problem) throw new BackieError(`task name "${printable(name)}" ${problem}`);
  return name;
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** `7d`, `12h`, `30min`, `500ms`, or a plain number of milliseconds. */
export function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|min|h|d)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? "ms"]! : Number.NaN;
  if (!Number.isFinite(ms) || ms > 100 * 365 * 86_400_000) {
    throw new BackieError(`duration must be a number with ms, s, min, h or d (e.g. 7d), up to 100 years, got "${printable(value)}"`);
  }
  return ms;
}
