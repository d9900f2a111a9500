import type { RegisteredTask } from "./executor.js";

declare const queuesOf: unique symbol;

/**
 * Remembers, in the type only, the queues a registry's tasks name. `generated/registry.ts` carries
 * it, so a `WorkerPool` built from that registry takes `queues` settings for those queues alone (a
 * misspelt queue does not compile). A registry built by hand has none: any queue name goes.
 */
// A type literal, not an interface: only those keep the implicit index signature that lets the
// branded registry pass where a Record<string, RegisteredTask> is expected.
export type QueueBrand<Q extends string> = {
  readonly [queuesOf]?: Q;
};

/** Task name → definition and validator; `generated/registry.ts` builds it. */
export type Registry<Q extends string = string> = Readonly<Record<string, RegisteredTask>> & QueueBrand<Q>;
