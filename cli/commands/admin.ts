import { parseArgs } from "node:util";
import { BackieError, describeUnrunnable, findUnrunnable, WORKER_STALE_MS, type TaskState, type TaskStore } from "../../src/index.js";
import { COMMON_HELP, COMMON_OPTIONS, intOption, openStore, projectContext, readManifest, taskId } from "../context.js";
import type { Command } from "./command.js";

const STATES: TaskState[] = ["ready", "running", "done", "failed", "cancelled"];
const FINISHED: TaskState[] = ["done", "cancelled"];
/** The table's count columns after ready, running and claimed. */
const LATER: TaskState[] = ["done", "failed", "cancelled"];

export const status: Command = {
  name: "status",
  summary: "tasks per queue and state, longest wait and longest run, unknown task names",
  usage: `Usage: backie status [--all] [--json]\n\nOptions:\n  --all                 count done and cancelled rows too (reads the whole history: slow on a big table)\n  --json                print JSON\n${COMMON_HELP}`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, json: { type: "boolean", default: false }, all: { type: "boolean", default: false } } });
    const context = projectContext(values);
    const known = new Set(readManifest(context).map((t) => t.name));
    const store = openStore(values, context);
    try {
      const counts = await store.countTasks({ finished: values.all });
      const paused = await store.admin.pausedQueues();
      const settings = await store.findServerSettings();
      const warnings = settings.autovacuum ? [] : ["autovacuum is off on this server: the task table grows without bound under churn; turn it on, or schedule VACUUM backie_tasks"];
      const now = Date.now();
      // running: runs a worker confirmed; claimed: running rows it holds but has not confirmed
      // (its prefetch, and runs started moments ago), as the dashboard and `backie running` say.
      type Row = {
        queue: string; task: string; counts: Record<TaskState, number>; claimed: number; sleeping: number; waiting: number;
        oldestReadyAgeMs: number | null; longestRunningMs: number | null;
      };
      const rows = new Map<string, Row>();
      for (const c of counts) {
        const key = `${c.queueName}\u0000${c.taskName}`;
        const row = rows.get(key) ?? {
          queue: c.queueName, task: c.taskName, counts: Object.fromEntries(STATES.map((s) => [s, 0])) as Record<TaskState, number>,
          claimed: 0, sleeping: 0, waiting: 0, oldestReadyAgeMs: null, longestRunningMs: null,
        };
        row.counts[c.state] += c.count - c.claimed;
        row.claimed += c.claimed;
        row.sleeping += c.sleeping;
        row.waiting += c.waiting;
        if (c.oldestReadyAt) row.oldestReadyAgeMs = Math.max(0, now - c.oldestReadyAt.getTime());
        if (c.oldestRunningSince) row.longestRunningMs = Math.max(0, now - c.oldestRunningSince.getTime());
        rows.set(key, row);
      }
      const list = [...rows.values()];
      const unknown = list.filter((r) => !known.has(r.task)).map((r) => ({ task: r.task, queue: r.queue, ready: r.counts.ready }));
      const unrunnable = await findUnrunnable(store.admin, WORKER_STALE_MS);
      if (values.json) {
        console.log(JSON.stringify({ queues: list, finishedCounted: values.all, pausedQueues: paused, unknownTaskNames: unknown, unrunnable, warnings }, null, 2));
        return 0;
      }
      for (const warning of warnings) console.log(`warning: ${warning}`);
      for (const p of paused) console.log(`paused: queue ${p.queueName} since ${p.since.toISOString()} (workers claim nothing from it; \`backie resume ${p.queueName}\`)`);
      if (list.length === 0) {
        console.log("no tasks");
        return 0;
      }
      const table = [
        ["queue", "task", "ready", "running", "claimed", ...LATER, "sleeping", "waiting", "oldest ready", "longest running"],
        ...list.map((r) => [
          r.queue, r.task, String(r.counts.ready), String(r.counts.running), String(r.claimed),
          ...LATER.map((s) => (values.all || !FINISHED.includes(s) ? String(r.counts[s]) : "-")), String(r.sleeping), String(r.waiting),
          age(r.oldestReadyAgeMs), age(r.longestRunningMs),
        ]),
      ];
      const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
      for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
      if (!values.all) console.log("\n(done and cancelled: `backie status --all` counts them, reading the whole history)");
      if (unknown.length > 0) {
        console.log(`\nunknown task names (no task file defines them; they stay ready): ${unknown.map((u) => `${u.task} in ${u.queue} (${u.ready} ready)`).join(", ")}`);
      }
      if (unrunnable.length > 0) {
        console.log("\nno running worker takes these (see `backie workers`):");
        for (const kind of unrunnable) console.log(`  ${describeUnrunnable(kind)}`);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};

function age(ms: number | null): string {
  if (ms === null) return "-";
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1_000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/** `failed` and `running`: a `--limit`ed list from the store, as lines or as JSON. */
function listCommand<Row>(spec: {
  name: string;
  summary: string;
  note?: string;
  empty: string;
  list: (store: TaskStore, limit: number) => Promise<Row[]>;
  line: (row: Row, now: number) => string;
}): Command {
  const note = spec.note ? `\n\n${spec.note}` : "";
  return {
    name: spec.name,
    summary: spec.summary,
    usage: `Usage: backie ${spec.name} [--limit N] [--json]${note}\n\nOptions:\n  --limit N             how many, 1 to 10000 (default 20)\n  --json                print JSON\n${COMMON_HELP}`,
    async run(argv) {
      const { values } = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, limit: { type: "string", default: "20" }, json: { type: "boolean", default: false } } });
      const limit = intOption("--limit", values.limit, 1, 10_000);
      const context = projectContext(values);
      const store = openStore(values, context);
      try {
        const rows = await spec.list(store, limit);
        const now = Date.now();
        if (values.json) console.log(JSON.stringify(rows, null, 2));
        else if (rows.length === 0) console.log(spec.empty);
        else for (const row of rows) console.log(spec.line(row, now));
        return 0;
      } finally {
        await store.close();
      }
    },
  };
}

export const failed = listCommand({
  name: "failed",
  summary: "recent failures with their last error",
  empty: "no failed tasks",
  list: (store, limit) => store.listFailed(limit),
  line: (r) =>
    `#${r.id} ${r.taskName} (queue ${r.queueName}) failed ${r.finishedAt?.toISOString() ?? "?"} after ${r.attempts} of ${r.maxRetries + 1} runs: ${r.lastError?.message ?? "no error recorded"}`,
});

export const running = listCommand({
  name: "running",
  summary: "running tasks, longest first, with their lease (to find a hung run)",
  note: "Prefetched tasks count as running from their claim; until their worker confirms a run (within a quarter of its reservation) they say \"claimed\".",
  empty: "no running tasks",
  list: (store, limit) => store.listRunning(limit),
  line: (r, now) =>
    `#${r.id} ${r.taskName} (queue ${r.queueName}) attempt ${r.attempt}, ${r.confirmed ? "running" : "claimed"}, held ${r.claimedAt ? age(now - r.claimedAt.getTime()) : "?"} by ${r.leaseOwner ?? "?"}; ${r.confirmed ? "lease" : "reservation"} until ${r.leaseExpiresAt?.toISOString() ?? "?"}`,
});

function changeState(name: "retry" | "cancel", summary: string, allowed: string): Command {
  return {
    name,
    summary,
    usage: name === "retry"
      ? `Usage: backie retry <id> [--from-start]\n\nA durable task resumes after its last completed step.\n\nOptions:\n  --from-start          forget its step history: every step runs again\n${COMMON_HELP}`
      : `Usage: backie ${name} <id>\n\nOptions:\n${COMMON_HELP}`,
    async run(argv) {
      const { values, positionals } = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, "from-start": { type: "boolean", default: false } }, allowPositionals: true });
      if (name === "cancel" && values["from-start"]) throw new BackieError("--from-start is an option of backie retry");
      const id = taskId(positionals[0], name);
      const context = projectContext(values);
      const store = openStore(values, context);
      try {
        if (name === "retry" && (await store.retryTask(id, { fromStart: values["from-start"] === true }))) {
          console.log(`task ${id} will run again${values["from-start"] === true ? ", from its first step" : ""}`);
          return 0;
        }
        const from = name === "cancel" ? await store.cancelTask(id) : null;
        if (from) {
          console.log(from === "running"
            ? `task ${id} cancelled; it was running: its worker aborts it at the next heartbeat and discards its result`
            : `task ${id} cancelled`);
          return 0;
        }
        const [task] = await store.findTasks([id]);
        throw new BackieError(task ? `task ${id} is ${task.state}: only ${allowed} tasks can be ${name === "retry" ? "retried" : "cancelled"}` : `no task ${id}`);
      } finally {
        await store.close();
      }
    },
  };
}

export const retry = changeState("retry", "run a failed or cancelled task again", "failed or cancelled");
export const cancel = changeState("cancel", "cancel a ready or running task (a running one is aborted)", "ready or running");
