import { parseArgs } from "node:util";
import { BackieError, type EnqueueFunction, type EnqueueOptions, type TaskStore } from "../../src/index.js";
import { COMMON_HELP, COMMON_OPTIONS, databaseUrl, importGenerated, intOption, jsonArgument, openStore, printable, projectContext, readManifest } from "../context.js";
import type { Command } from "./command.js";

export const gen: Command = {
  name: "gen",
  summary: "read tasks/*.ts and write generated/ (--check, --watch)",
  usage: "",
  // Loaded on demand: the compiler is heavy, and only `gen` needs it.
  run: async (argv) => (await import("../../codegen/cli.js")).runGen(argv),
};

export const migrate: Command = {
  name: "migrate",
  summary: "apply pending database migrations",
  usage: `Usage: backie migrate\n\nApplies pending migrations in order, in one transaction; safe when several processes run it at once.\nNeeds a role that may create and alter tables; workers and apps need only SELECT, INSERT, UPDATE, DELETE.\n\nOptions:\n${COMMON_HELP}`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: COMMON_OPTIONS });
    const store = openStore(values, projectContext(values));
    try {
      const { applied } = await store.migrate();
      console.log(applied.length === 0 ? "migrations: up to date" : `migrations: applied ${applied.join(", ")}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};

export const worker: Command = {
  name: "worker",
  summary: "run the generated worker entrypoint (every queue; graceful on SIGINT/SIGTERM)",
  usage: `Usage: backie worker [--metrics-port N]\n\nChecks that migrations are applied, then runs a worker pool for every queue until SIGINT/SIGTERM.\nEnvironment: BACKIE_MIGRATE=true (apply pending migrations first), BACKIE_LISTEN=false (poll only),\nBACKIE_PREPARED_STATEMENTS=false, BACKIE_CONNECT_TIMEOUT_MS, BACKIE_LOG_LEVEL (debug|info|warn|error),\nBACKIE_LOG_FORMAT (json|pretty), BACKIE_METRICS_PORT, BACKIE_METRICS_HOST, BACKIE_METRICS=false.\n\nOptions:\n  --metrics-port N      serve /healthz, /readyz and /metrics (Prometheus) on this port\n${COMMON_HELP}`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, "metrics-port": { type: "string" } } });
    const context = projectContext(values);
    if (values["metrics-port"] !== undefined) process.env.BACKIE_METRICS_PORT = String(intOption("--metrics-port", values["metrics-port"], 0, 65_535));
    // The generated entrypoint reads DATABASE_URL.
    process.env.DATABASE_URL = databaseUrl(values, context);
    await importGenerated(context, "worker");
    return -1;
  },
};

export const enqueue: Command = {
  name: "enqueue",
  summary: "enqueue a task from JSON (validated): backie enqueue <task> <json>",
  usage: `Usage: backie enqueue <task> <json> [options]

Validates the payload like the typed client and prints the new task's id (or every violation).

Options:
  --delay-ms N          start no earlier than N ms from now
  --run-at ISO          start no earlier than this time
  --priority N          higher runs first (default 0)
  --queue NAME          another queue than the task's own
${COMMON_HELP}`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...COMMON_OPTIONS, "delay-ms": { type: "string" }, "run-at": { type: "string" }, priority: { type: "string" }, queue: { type: "string" } },
    });
    const [taskName, json] = positionals;
    if (!taskName || json === undefined) throw new BackieError("expected a task name and a JSON payload: backie enqueue send_welcome_email '{\"to\":\"a@b.co\"}'");
    const context = projectContext(values);
    const tasks = readManifest(context);
    const task = tasks.find((t) => t.name === taskName);
    if (!task) throw new BackieError(`unknown task "${printable(taskName)}"; known: ${tasks.map((t) => t.name).join(", ") || "none (run backie gen)"}`);
    const payload = jsonArgument(json);
    const options: EnqueueOptions = {};
    if (values["delay-ms"] !== undefined) options.delayMs = intOption("--delay-ms", values["delay-ms"], 0, 3_155_760_000_000);
    if (values["run-at"] !== undefined) {
      const runAt = new Date(values["run-at"]);
      if (Number.isNaN(runAt.getTime())) throw new BackieError(`--run-at must be an ISO date and time (2026-12-01T09:00:00Z), got "${printable(values["run-at"])}"`);
      options.runAt = runAt;
    }
    if (values.priority !== undefined) options.priority = intOption("--priority", values.priority, -2_147_483_648, 2_147_483_647);
    if (values.queue !== undefined) options.queue = values.queue;
    const store = openStore(values, context);
    try {
      const module = await importGenerated<{ createEnqueue(store: TaskStore): Record<string, EnqueueFunction<unknown>> }>(context, "enqueue");
      const fn = module.createEnqueue(store)[task.enqueue];
      if (!fn) throw new BackieError(`generated/enqueue has no "${task.enqueue}": run backie gen`);
      const result = await fn(payload, options);
      console.log(result.deduplicated ? `task ${result.id} (already ready or running with the same unique key)` : `task ${result.id} enqueued`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
