import { isDeepStrictEqual } from "node:util";
import type { EnqueuedTask } from "../store/adminStore.js";
import type { TaskStore } from "../store/taskStore.js";

/** A payload with any of its fields left out, at any depth (arrays are compared whole). */
export type PartialPayload<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: PartialPayload<T[K]> } : T;

export interface EnqueuedMatch<P> {
  /** Fields the payload must have (compared as stored: JSON, Dates as ISO strings). */
  payload?: PartialPayload<P>;
  queue?: string;
  priority?: number;
  uniqueKey?: string;
  /** Due no earlier than `from` and no later than `to`. */
  scheduledBetween?: readonly [Date, Date];
}

/** A stored ready task, its payload typed by its name. */
export interface Enqueued<P> extends Omit<EnqueuedTask, "payload"> {
  payload: P;
}

/** How many ready tasks an assertion looks through. */
const LOOK_AT = 10_000;

/** The message of a failed assertion; `matcherResult`-free, so any test runner shows it as it is. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

/**
 * `assertEnqueued(store, "send_welcome_email", { payload: { to: "a@b.co" } })`: the oldest ready
 * task of that name matching every given field, or an error listing the closest ones and how
 * each differs.
 */
export async function assertEnqueued<P>(store: TaskStore, taskName: string, match: EnqueuedMatch<P> = {}): Promise<Enqueued<P>> {
  const tasks = await store.admin.findEnqueued(taskName, LOOK_AT);
  const found = tasks.find((t) => differences(t, match).length === 0);
  if (found) return found as Enqueued<P>;
  throw new AssertionError(notFound(taskName, match, tasks));
}

/** No ready task of that name matches: otherwise an error naming the ones that do. */
export async function refuteEnqueued<P>(store: TaskStore, taskName: string, match: EnqueuedMatch<P> = {}): Promise<void> {
  const matching = (await store.admin.findEnqueued(taskName, LOOK_AT)).filter((t) => differences(t, match).length === 0);
  if (matching.length === 0) return;
  throw new AssertionError(`expected no enqueued "${taskName}" task${describeMatch(match)}, found ${matching.length}: ${matching.slice(0, 3).map(line).join("; ")}`);
}

/** Every ready task of that name, oldest first, payloads typed. */
export async function allEnqueued<P>(store: TaskStore, taskName: string): Promise<Array<Enqueued<P>>> {
  return (await store.admin.findEnqueued(taskName, LOOK_AT)) as Array<Enqueued<P>>;
}

/** How a stored task differs from what is expected, one entry per field. */
function differences(task: EnqueuedTask, match: EnqueuedMatch<unknown>): string[] {
  const out: string[] = [];
  if (match.payload !== undefined) out.push(...payloadDiff("$", task.payload, toJson(match.payload)));
  if (match.queue !== undefined && task.queueName !== match.queue) out.push(`queue is "${task.queueName}", not "${match.queue}"`);
  if (match.priority !== undefined && task.priority !== match.priority) out.push(`priority is ${task.priority}, not ${match.priority}`);
  if (match.uniqueKey !== undefined && task.uniqueKey !== match.uniqueKey) out.push(`unique key is ${JSON.stringify(task.uniqueKey)}, not "${match.uniqueKey}"`);
  if (match.scheduledBetween !== undefined) {
    const [from, to] = match.scheduledBetween;
    if (task.scheduledAt < from || task.scheduledAt > to) out.push(`due at ${task.scheduledAt.toISOString()}, not between ${from.toISOString()} and ${to.toISOString()}`);
  }
  return out;
}

/** Where `actual` lacks or differs from the fields of `expected` (objects recursively, the rest whole). */
function payloadDiff(path: string, actual: unknown, expected: unknown): string[] {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${path} is ${show(actual)}, expected an object`];
    return Object.entries(expected).flatMap(([k, v]) => (Object.hasOwn(actual, k)
      ? payloadDiff(`${path}.${k}`, (actual as Record<string, unknown>)[k], v)
      : [`${path}.${k} is missing (expected ${show(v)})`]));
  }
  return isDeepStrictEqual(actual, expected) ? [] : [`${path} is ${show(actual)}, expected ${show(expected)}`];
}

function notFound(taskName: string, match: EnqueuedMatch<unknown>, tasks: readonly EnqueuedTask[]): string {
  const head = `expected an enqueued "${taskName}" task${describeMatch(match)}`;
  if (tasks.length === 0) return `${head}, but none of that name is enqueued`;
  const closest = tasks
    .map((t) => ({ t, diff: differences(t, match) }))
    .sort((a, b) => a.diff.length - b.diff.length)
    .slice(0, 3);
  return `${head}; ${tasks.length} of that name enqueued, the closest:\n${closest.map(({ t, diff }) => `  ${line(t)}\n    ${diff.join("\n    ")}`).join("\n")}`;
}

function describeMatch(match: EnqueuedMatch<unknown>): string {
  const parts: string[] = [];
  if (match.payload !== undefined) parts.push(`payload ${show(toJson(match.payload))}`);
  if (match.queue !== undefined) parts.push(`queue "${match.queue}"`);
  if (match.priority !== undefined) parts.push(`priority ${match.priority}`);
  if (match.uniqueKey !== undefined) parts.push(`unique key "${match.uniqueKey}"`);
  if (match.scheduledBetween !== undefined) parts.push(`due between ${match.scheduledBetween[0].toISOString()} and ${match.scheduledBetween[1].toISOString()}`);
  return parts.length > 0 ? ` with ${parts.join(", ")}` : "";
}

function line(t: EnqueuedTask): string {
  return `#${t.id} (queue ${t.queueName}, due ${t.scheduledAt.toISOString()}${t.parked ? `, ${t.parked}` : ""}) ${show(t.payload)}`;
}

/** As stored: a Date in an expected payload compares as its ISO string. */
function toJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value)) as unknown;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
