import { enqueueFunction, type TaskStore } from "../../src/index.js";
import { validatorFor } from "./tasks.js";

/** A typed-client stand-in for task "rw" in queue "d_rw", as generated code would build it. */
export function createEnqueueClient(store: TaskStore) {
  return enqueueFunction<{ n: number }>(() => store, { name: "rw", queue: "d_rw", maxRetries: 0, validate: validatorFor({ type: "object" }) });
}
