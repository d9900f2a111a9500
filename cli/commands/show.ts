import { parseArgs } from "node:util";
import { BackieError, type StepEntry } from "../../src/index.js";
import { COMMON_HELP, COMMON_OPTIONS, openStore, projectContext, taskId } from "../context.js";
import type { Command } from "./command.js";

/** One task, whole: where it is, its lease, its progress and its last error. */
export const show: Command = {
  name: "show",
  summary: "one task: state, attempts, times, lease, progress, last error",
  usage: `Usage: backie show <id> [--json]\n\nOptions:\n  --json                print the stored task as JSON (payload and every error included)\n${COMMON_HELP}`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv, options: { ...COMMON_OPTIONS, json: { type: "boolean", default: false } }, allowPositionals: true,
    });
    const id = taskId(positionals[0], "show");
    const store = openStore(values, projectContext(values));
    try {
      const [task] = await store.findTasks([id]);
      if (!task) throw new BackieError(`no task ${id} (finished tasks of removeDone queues are deleted)`);
      if (values.json) {
        console.log(JSON.stringify(task, null, 2));
        return 0;
      }
      // 'infinity' (a wait without a time-out) reads as the latest Date there is.
      const at = (d: Date | null): string => (d === null ? "-" : d.getTime() >= 8_640_000_000_000_000 ? "when its signal comes" : d.toISOString());
      const last = task.errors.at(-1);
      console.log([
        `#${task.id} ${task.taskName} (queue ${task.queueName}, payload version ${task.payloadVersion === 0 ? "0: none recorded" : task.payloadVersion}): ${task.state}, attempt ${task.attempts} of ${task.maxRetries + 1}`,
        `created ${at(task.createdAt)}, scheduled ${at(task.scheduledAt)}, started ${at(task.startedAt)}, finished ${at(task.finishedAt)}`,
        `lease: ${task.leaseOwner ? `${task.leaseOwner} until ${at(task.leaseExpiresAt)}` : "-"}`,
        `progress: ${task.progress === null ? "-" : `${JSON.stringify(task.progress)} at ${at(task.progressAt)}`}`,
        `last error: ${last ? `attempt ${last.attempt} (${last.kind}): ${last.message}` : "-"}`,
        ...(task.parked && task.state === "ready" ? [task.parked === "sleeping"
          ? `sleeping until ${at(task.scheduledAt)}`
          : `waiting for signal "${task.waitingFor ?? "?"}" (time-out: ${at(task.scheduledAt)})`] : []),
        ...(task.steps.length > 0 ? [`steps (${task.steps.length}):`, ...task.steps.map(stepLine)] : []),
        ...(task.inbox.length > 0 ? [`signals not yet taken: ${task.inbox.map((s) => s.name).join(", ")}`] : []),
      ].join("\n"));
      return 0;
    } finally {
      await store.close();
    }
  },
};

/** One entry of a task's history: `  2. step "charge" 12 ms, result 41 bytes, at ...`. */
function stepLine(entry: StepEntry, index: number): string {
  const head = `  ${index + 1}. ${String(entry.kind)} "${String(entry.id)}"`;
  if (entry.kind === "sleep") return `${head} until ${String(entry.until)}`;
  if (entry.kind === "wait") {
    const result = entry.result as { received?: boolean } | undefined;
    const state = result === undefined ? "waiting" : result.received ? "received" : "timed out";
    return `${head} for "${String(entry.signal)}": ${state}${entry.until ? ` (time-out ${entry.until})` : ""}`;
  }
  const size = entry.result === undefined ? "no result" : `result ${Buffer.byteLength(JSON.stringify(entry.result))} bytes`;
  return `${head} ${entry.ms ?? "?"} ms, ${size}, at ${String(entry.at)}`;
}
