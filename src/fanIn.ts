/**
 * Parent/child with fan-in: the types a run's `ctx.fanIn` takes and its continuation receives.
 * The continuation is a task whose payload is `FanInPayload<Base, Result>`: its own fields plus
 * `children`, one outcome per child in the order given, each done one carrying what that child's
 * `run` returned. Codegen carries each task's result type into the generated client, so that
 * `ctx.fanIn` only compiles when the children's result type is the one the continuation expects.
 */
/** A child that succeeded, with what its `run` returned (as JSON: `undefined` becomes null). */
export interface ChildDone<Result> {
  id: string;
  task: string;
  state: "done";
  result: Result;
}

/** A child that did not succeed: failed (retries spent), cancelled, or deleted before it finished. */
export interface ChildNotDone {
  id: string;
  task: string;
  state: "failed" | "cancelled" | "deleted";
  /** Its last error message, or why it did not finish. */
  error: string;
}

export type ChildOutcome<Result> = ChildDone<Result> | ChildNotDone;

/** The payload of a continuation task: its own fields plus the children's outcomes, in order. */
export type FanInPayload<Base extends object, Result> = Base & { children: Array<ChildOutcome<Result>> };

/** The result type a continuation's payload expects of its children. */
export type FanInResultOf<Payload> = Payload extends { children: ReadonlyArray<ChildOutcome<infer R>> } ? R : never;

/** A continuation's payload without the `children` the database adds. */
export type FanInBaseOf<Payload> = Payload extends { children: ReadonlyArray<ChildOutcome<unknown>> } ? Omit<Payload, "children"> : never;

declare const resultType: unique symbol;

/** A validated row to insert (the store's NewTask; opaque here). */
export interface SpecRow {
  readonly taskName: string;
  readonly queueName: string;
}

/** A validated child, from `ctx.enqueue.<task>.spec(payload)`; nothing is written until `ctx.fanIn`. */
export interface TaskSpec<Result = unknown> {
  readonly task: SpecRow;
  /** Type only: the child's result type (invariant, so that a mismatch does not compile). */
  readonly [resultType]?: (result: Result) => Result;
}

/** A continuation, from `ctx.enqueue.<task>.after(base)`: created once every child finished. */
export interface ContinuationSpec<Result = unknown> {
  readonly continuation: SpecRow;
  readonly [resultType]?: (result: Result) => Result;
}

export interface FanInOptions {
  /** `fail` (default): if a child did not succeed, the continuation is created failed (its
   * error names the children; `backie retry` runs it with their outcomes). `ignore`: it runs. */
  onChildFailure?: "fail" | "ignore";
  /** Names this fan-out among the run's (default "default"): a rerun of the run finds it again. */
  key?: string;
}

export interface FanOut {
  fanInId: string;
  /** The children's ids, in the order given. */
  childIds: string[];
  /** False when an earlier run of this task had already fanned out under this key. */
  created: boolean;
}

// Specs made by the enqueue functions (validated rows): ctx.fanIn takes no others.
const made = new WeakSet<object>();

export function markSpec<T extends object>(spec: T): T {
  made.add(spec);
  return spec;
}

export function isSpec(value: unknown): boolean {
  return typeof value === "object" && value !== null && made.has(value);
}
