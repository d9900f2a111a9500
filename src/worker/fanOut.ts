import { ConfigError } from "../errors.js";
import { isSpec, type ContinuationSpec, type FanInOptions, type FanOut, type TaskSpec } from "../fanIn.js";
import { textProblem } from "../payload.js";
import type { ClaimedTask, NewTask, TaskStore } from "../store/taskStore.js";

/** Most children of one fan-out: their outcomes all go into the continuation's payload. */
export const MAX_FAN_OUT = 10_000;

// The result type is checked where ctx.fanIn is called; here every spec is alike.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FanOutFunction = (parent: ClaimedTask, then: ContinuationSpec<any>, children: ReadonlyArray<TaskSpec<any>>, options?: FanInOptions) => Promise<FanOut>;

/** `ctx.fanIn` over a store: checks what a run passes, in one line each, then writes it in one statement. */
export function fanOutWith(store: TaskStore): FanOutFunction {
  return async (parent, then, children, options = {}) => {
    if (!isSpec(then) || !("continuation" in then)) {
      throw new ConfigError("ctx.fanIn: `then` must come from ctx.enqueue.<task>.after(...)");
    }
    if (!Array.isArray(children)) throw new ConfigError("ctx.fanIn: `children` must be an array of ctx.enqueue.<task>.spec(...)");
    if (children.length > MAX_FAN_OUT) throw new ConfigError(`ctx.fanIn: ${children.length} children; at most ${MAX_FAN_OUT}`);
    const rows: NewTask[] = [];
    children.forEach((child: unknown, i) => {
      if (!isSpec(child) || !("task" in (child as object))) {
        throw new ConfigError(`ctx.fanIn: children[${i}] must come from ctx.enqueue.<task>.spec(...)`);
      }
      rows.push((child as TaskSpec).task as unknown as NewTask);
    });
    const { onChildFailure = "fail", key = "default" }: FanInOptions = options ?? {};
    if (onChildFailure !== "fail" && onChildFailure !== "ignore") {
      throw new ConfigError(`ctx.fanIn: onChildFailure must be "fail" or "ignore", got ${String(onChildFailure)}`);
    }
    const keyProblem = typeof key === "string" ? (key === "" ? "must not be empty" : key.length > 200 ? "is longer than 200 characters" : textProblem(key)) : "must be a string";
    if (keyProblem) throw new ConfigError(`ctx.fanIn: key ${keyProblem}`);
    return store.insertFanIn({ parentId: parent.id, key, children: rows, continuation: then.continuation as NewTask, onChildFailure });
  };
}
