/**
 * The worker entrypoint as `backie worker` runs it (runWorker: its signal handling, its parent
 * check), with one task that sleeps: prints `start <id> <ms>` and `end <id> <ms> <ok|aborted>`.
 * Env: DATABASE_URL, BACKIE_TEST_WORKERS (default 4), BACKIE_TEST_SHUTDOWN_MS (default 10,000).
 */
import { defineTask, runWorker } from "../../src/index.js";
import { NO_APP, registered, registryOf } from "./tasks.js";

const out = (line: string): boolean => process.stdout.write(`${line}\n`);

const nap = defineTask({
  name: "nap",
  queue: "stop",
  async run(payload: { ms: number }, ctx) {
    out(`start ${ctx.task.id} ${Date.now()}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, payload.ms);
      ctx.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()));
    });
    out(`end ${ctx.task.id} ${Date.now()} ${ctx.signal.aborted ? "aborted" : "ok"}`);
  },
});

await runWorker({
  ...NO_APP,
  registry: registryOf(registered(nap)),
  queues: { stop: { numWorkers: Number(process.env.BACKIE_TEST_WORKERS ?? 4), pullIntervalMs: 100 } },
  shutdownTimeoutMs: Number(process.env.BACKIE_TEST_SHUTDOWN_MS ?? 10_000),
  onEvent: (event) => {
    if (event.type === "pool:started") out("ready");
  },
});
