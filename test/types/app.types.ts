/**
 * Type-level tests, checked by `npm run typecheck`: this repository augments AppContext (a mailer,
 * in backie.worker.ts), so a worker that does not say how to create it does not compile; before,
 * `app` stayed optional and every run got `{}`.
 */
import { Mailer } from "../../backie.worker.js";
import { defineWorker, WorkerPool, type RegisteredTask, type TaskStore } from "../../src/index.js";

declare const store: TaskStore;
declare const registry: Record<string, RegisteredTask>;

export function compiles(): void {
  defineWorker({ app: { create: () => ({ mailer: new Mailer() }) }, queues: { email: { numWorkers: 20 }, images: { numWorkers: 2 } } });
  void new WorkerPool({ store, registry, app: { create: async () => ({ mailer: new Mailer() }), close: (app) => app.mailer.close() } });
}

export function doesNotCompile(): void {
  // @ts-expect-error app is required once AppContext declares members
  defineWorker({ queues: { email: { numWorkers: 2 } } });
  // @ts-expect-error the same for a pool started in code
  void new WorkerPool({ store, registry });
  // @ts-expect-error and what create returns must be the declared context
  defineWorker({ app: { create: () => ({}) } });
  // @ts-expect-error a misspelt queue (the tasks name "email"): it would start a runner no task reaches
  defineWorker({ app: { create: () => ({ mailer: new Mailer() }) }, queues: { emial: { numWorkers: 20 } } });
}
