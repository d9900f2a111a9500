/**
 * The worker entrypoint (`runWorker`) with tasks that try to take it down: a recursive payload
 * with Dates (revival and validation recurse), errors PostgreSQL cannot store, throws that
 * cannot be described, work left behind after the run, and event handlers that throw.
 * Prints `ready` once started. Env: DATABASE_URL.
 */
import { defineTask, runWorker, type WorkerEvent } from "../../src/index.js";
import { NO_APP, registered, registryOf } from "./tasks.js";

interface Thread {
  at: Date;
  replies: Thread[];
}

const queue = "poison";
const thread = defineTask({
  name: "thread", queue, maxRetries: 3,
  run(payload: Thread) {
    if (!(payload.at instanceof Date)) throw new Error("not revived");
  },
});
const explodes = defineTask({
  name: "explodes", queue, maxRetries: 0,
  run() {
    throw new Error(`bad \u0000 text \uD800 ${"x".repeat(200_000)}`);
  },
});
const undescribable = defineTask({
  name: "undescribable", queue, maxRetries: 0,
  run() {
    throw new Proxy({}, { get() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); } });
  },
});
const leaves = defineTask({
  name: "leaves", queue, maxRetries: 0,
  run() {
    setTimeout(() => { throw new Error("thrown from a timer after the run"); }, 1);
    void Promise.reject(new Error("rejected and never awaited"));
  },
});
const ok = defineTask({ name: "ok", queue, run() {} });

const threadSchema = {
  $ref: "#/$defs/Thread",
  $defs: {
    Thread: {
      type: "object",
      properties: { at: { type: "string" }, replies: { type: "array", items: { $ref: "#/$defs/Thread" } } },
      required: ["at", "replies"],
    },
  },
};

let events = 0;
await runWorker({
  ...NO_APP,
  registry: registryOf(
    { ...registered(thread, threadSchema), dates: [["at"], ["replies", "*", "@Thread"], ["@Thread", "at"], ["@Thread", "replies", "*", "@Thread"]] },
    registered(explodes), registered(undescribable), registered(leaves), registered(ok),
  ),
  queues: { [queue]: { numWorkers: 4, pullIntervalMs: 100 } },
  leaseMs: 5_000,
  shutdownTimeoutMs: 2_000,
  onEvent: async (event: WorkerEvent) => {
    events++;
    if (events % 2 === 0) throw new Error("onEvent rejects");
    if (event.type === "task:succeeded") throw new Error("onEvent throws");
  },
});
process.stdout.write("ready\n");
