import { parseArgs } from "node:util";
import { BackieError } from "../../src/index.js";
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
      const at = (d: Date | null): string => d?.toISOString() ?? "-";
      const last = task.errors.at(-1);
      console.log([
        `#${task.id} ${task.taskName} (queue ${task.queueName}, payload version ${task.payloadVersion === 0 ? "0: none recorded" : task.payloadVersion}): ${task.state}, attempt ${task.attempts} of ${task.maxRetries + 1}`,
        `created ${at(task.createdAt)}, scheduled ${at(task.scheduledAt)}, started ${at(task.startedAt)}, finished ${at(task.finishedAt)}`,
        `lease: ${task.leaseOwner ? `${task.leaseOwner} until ${at(task.leaseExpiresAt)}` : "-"}`,
        `progress: ${task.progress === null ? "-" : `${JSON.stringify(task.progress)} at ${at(task.progressAt)}`}`,
        `last error: ${last ? `attempt ${last.attempt} (${last.kind}): ${last.message}` : "-"}`,
      ].join("\n"));
      return 0;
    } finally {
      await store.close();
    }
  },
};
