import type { AdminStore, ReadyKind, WorkerInfo } from "../store/adminStore.js";

/** Ready tasks that no running worker will take, and why. */
export interface UnrunnableKind extends ReadyKind {
  /** `unknown name`: no worker of its queue has a task (or alias) of that name; `newer version`: they all know older versions only. */
  reason: "unknown name" | "newer version";
  /** For `newer version`: the highest version a worker of the queue runs. */
  known?: number;
}

/**
 * Which kinds of ready tasks the given workers cannot run. A queue no worker serves is not judged
 * (nothing runs there, known or not), nor is one served by a worker that did not say what it runs
 * (registered before migration 0013). Version 0 (none recorded) runs on any worker knowing the name.
 */
export function unrunnableKinds(kinds: readonly ReadyKind[], workers: ReadonlyArray<Pick<WorkerInfo, "queues" | "tasks">>): UnrunnableKind[] {
  const out: UnrunnableKind[] = [];
  for (const kind of kinds) {
    const serving = workers.filter((w) => Object.hasOwn(w.queues, kind.queueName));
    if (serving.length === 0 || serving.some((w) => w.tasks === undefined || Object.keys(w.tasks).length === 0)) continue;
    const versions = serving.flatMap((w) => (Object.hasOwn(w.tasks!, kind.taskName) ? [w.tasks![kind.taskName]!] : []));
    if (versions.length === 0) out.push({ ...kind, reason: "unknown name" });
    else if (kind.version > Math.max(...versions)) out.push({ ...kind, reason: "newer version", known: Math.max(...versions) });
  }
  return out;
}

/** One line for a log, the CLI or the dashboard. */
export function describeUnrunnable(kind: UnrunnableKind & { count?: number }): string {
  const count = kind.count === undefined ? "" : `${kind.count} `;
  return kind.reason === "unknown name"
    ? `${count}ready tasks named "${kind.taskName}" in queue "${kind.queueName}": no running worker has a task of that name (deploy it, or add it to a task's aliases)`
    : `${count}ready tasks of "${kind.taskName}" at payload version ${kind.version} in queue "${kind.queueName}" wait for a newer deploy (running workers know up to version ${kind.known})`;
}

/**
 * Ready tasks the running workers (seen within `staleMs`) cannot run, with counts: for
 * `backie status` and the dashboard. A skip scan for the kinds, one range count per kind found.
 */
export async function findUnrunnable(admin: AdminStore, staleMs: number): Promise<Array<UnrunnableKind & { count: number }>> {
  const [kinds, { workers }] = await Promise.all([admin.findReadyKinds(1_000), admin.listWorkers(staleMs)]);
  const unrunnable = unrunnableKinds(kinds, workers);
  const key = (k: ReadyKind): string => JSON.stringify([k.queueName, k.taskName, k.version]);
  const counts = new Map((await admin.countReadyKinds(unrunnable)).map((c) => [key(c), c.count]));
  return unrunnable.map((k) => ({ ...k, count: counts.get(key(k)) ?? 0 }));
}
