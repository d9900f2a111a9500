/**
 * Type-level tests of a WorkerPool built in code, checked by `npm run typecheck`: with the
 * generated registry its `queues` take the queues the tasks name, and nothing else; a registry
 * built by hand, or a pool widened with `<string>`, takes any queue.
 */
import { Mailer } from "../../backie.worker.js";
import { registry } from "../../generated/registry.js";
import { WorkerPool, type RegisteredTask, type TaskStore } from "../../src/index.js";

declare const store: TaskStore;
declare const byHand: Readonly<Record<string, RegisteredTask>>;
const app = { create: () => ({ mailer: new Mailer() }) };

export function typedFromTheRegistry(): void {
  new WorkerPool({ store, registry, app, queues: { email: { numWorkers: 20 }, images: { retentionMode: "keepAll" } } });
  // @ts-expect-error a misspelt queue does not compile
  new WorkerPool({ store, registry, app, queues: { emial: { numWorkers: 20 } } });
  // @ts-expect-error nor a setting of the wrong type
  new WorkerPool({ store, registry, app, queues: { email: { numWorkers: "20" } } });
}

export function anyQueueWhenAsked(): void {
  new WorkerPool({ store, registry: byHand, app, queues: { anything: { numWorkers: 1 } } });
  // A queue only enqueue options name ({ queue: "urgent" }) is run by a widened pool.
  new WorkerPool<string>({ store, registry, app, queues: { urgent: { numWorkers: 2 } } });
}
