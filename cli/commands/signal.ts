import { parseArgs } from "node:util";
import { BackieError, type SignalAddress, type SignalFunction, type TaskStore } from "../../src/index.js";
import { COMMON_HELP, COMMON_OPTIONS, importGenerated, jsonArgument, openStore, printable, projectContext, readManifest, taskId } from "../context.js";
import type { Command } from "./command.js";

/** `backie signal`: what a webhook or an operator sends a task waiting in `ctx.waitFor`. */
export const signal: Command = {
  name: "signal",
  summary: "send a signal to a task (ctx.waitFor): backie signal <task> <id> <signal> <json>",
  usage: `Usage: backie signal <task> <id> <signal> <json>
       backie signal <task> --key KEY <signal> <json>

Validates the payload against the signal's type (the task's \`signals\`) and adds it to the task's
inbox: a task waiting for it runs again at once; one not there yet takes it when it gets to its
wait. Only ready and running tasks take signals.

Options:
  --key KEY             the task enqueued with this unique key, instead of an id
${COMMON_HELP}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...COMMON_OPTIONS, key: { type: "string" } } });
    const byKey = values.key !== undefined;
    const [taskName, ...rest] = positionals;
    const [idText, name, json] = byKey ? [undefined, ...rest] : rest;
    if (!taskName || !name || json === undefined || rest.length !== (byKey ? 2 : 3)) {
      throw new BackieError("expected a task, an id (or --key KEY), a signal name and a JSON payload: backie signal fulfil_order 42 approved '{\"by\":\"ops\"}'");
    }
    const to: SignalAddress = byKey ? { key: values.key! } : taskId(idText, "signal");
    const context = projectContext(values);
    const tasks = readManifest(context);
    const task = tasks.find((t) => t.name === taskName);
    if (!task) throw new BackieError(`unknown task "${printable(taskName)}"; known: ${tasks.map((t) => t.name).join(", ") || "none (run backie gen)"}`);
    const payload = jsonArgument(json);
    const store = openStore(values, context);
    try {
      const module = await importGenerated<{ createEnqueue(store: TaskStore): Record<string, { signal?: SignalFunction<Record<string, unknown>> }> }>(context, "enqueue");
      const send = module.createEnqueue(store)[task.enqueue]?.signal;
      if (!send) throw new BackieError(`task "${taskName}" declares no signals`);
      const { id } = await send(to, name, payload);
      console.log(`signal "${name}" sent to task ${id}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
