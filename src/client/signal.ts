import { BackieError, PayloadValidationError } from "../errors.js";
import { boundedJson, textProblem } from "../payload.js";
import type { TaskStore } from "../store/taskStore.js";
import { payloadViolations, type CompiledValidator } from "../validation.js";

/** A signal's payload is a message, not a data store: 64 KiB of JSON at most. */
export const MAX_SIGNAL_BYTES = 65_536;
/** Signals waiting in one task's inbox (sent and not yet taken by a wait). */
export const MAX_INBOX = 100;

/** Which task a signal goes to: its id, or the unique key it was enqueued with. */
export type SignalAddress = string | { id: string } | { key: string };

/** What the generated client knows of a task's signals: a validator per name. */
export interface SignalTarget {
  name: string;
  signals: Readonly<Record<string, CompiledValidator>>;
}

/**
 * Sends signal `name` to a ready or running task of `target` (by id or unique key): kept in its
 * inbox until a `ctx.waitFor(name)` takes it, and wakes the task if it waits for it now. The
 * payload is checked against the signal's schema first; every refusal is one line naming why.
 * Returns the task's id.
 */
export async function sendSignal(store: TaskStore, target: SignalTarget, to: SignalAddress, name: string, payload: unknown): Promise<{ id: string }> {
  const task = target.name;
  const validate = Object.hasOwn(target.signals, name) ? target.signals[name] : undefined;
  if (validate === undefined) {
    const known = Object.keys(target.signals);
    throw new BackieError(`task "${task}" has no signal "${name}"${known.length > 0 ? `; it declares: ${known.join(", ")}` : " (it declares no signals)"}`);
  }
  const address = typeof to === "string" ? { id: to } : to;
  if ("id" in address && !/^[1-9]\d{0,18}$/.test(String(address.id))) throw new BackieError(`signal "${name}": task id must be a whole number, got "${String(address.id)}"`);
  if ("key" in address) {
    const problem = typeof address.key === "string" ? textProblem(address.key) : "must be a string";
    if (problem) throw new BackieError(`signal "${name}": the unique key ${problem}`);
  }
  const stored = boundedJson(payload ?? null, MAX_SIGNAL_BYTES);
  if ("notJson" in stored) throw new PayloadValidationError(`${task}" signal "${name}`, [{ path: "$", message: stored.notJson }]);
  if ("bytes" in stored) throw new PayloadValidationError(`${task}" signal "${name}`, [{ path: "$", message: `is ${stored.bytes} bytes as JSON; the limit is ${MAX_SIGNAL_BYTES}` }]);
  const violations = payloadViolations(validate, stored.json);
  if (violations.length > 0) throw new PayloadValidationError(`${task}" signal "${name}`, violations);
  const sent = await store.steps.sendSignal({ taskName: task, ...address }, name, stored.text, MAX_INBOX);
  if (sent !== null) return { id: sent };
  throw new BackieError(await whyNot(store, task, address, name));
}

/** Why a signal found no task to take it, in one line. */
async function whyNot(store: TaskStore, task: string, address: { id: string } | { key: string }, name: string): Promise<string> {
  if ("key" in address) return `signal "${name}": no ready or running task "${task}" has the unique key "${address.key}"`;
  const [found] = await store.findTasks([address.id]);
  if (found === undefined) return `signal "${name}": no task ${address.id}`;
  if (found.taskName !== task) return `signal "${name}": task ${address.id} is a "${found.taskName}" task, not "${task}"`;
  if (found.state !== "ready" && found.state !== "running") return `signal "${name}": task ${address.id} is ${found.state}; only a ready or running task takes signals`;
  return `signal "${name}": task ${address.id} already holds ${MAX_INBOX} signals no wait has taken`;
}

/** `enqueue.<task>.signal(to, name, payload)`: typed by the task's `signals`. */
export type SignalFunction<Signals> = <K extends keyof Signals & string>(to: SignalAddress, name: K, payload: Signals[K]) => Promise<{ id: string }>;

/** The generated client's `.signal` of a task (and ctx.enqueue's). */
export function signalFunction<Signals>(store: () => TaskStore, target: SignalTarget): SignalFunction<Signals> {
  return (to, name, payload) => sendSignal(store(), target, to, name, payload);
}
