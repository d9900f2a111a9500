import type { AdminStore, PendingTask } from "../store/adminStore.js";
import type { RegisteredTask } from "../worker/executor.js";
import { runnablePayload } from "../worker/upgrade.js";
import { withAliases } from "../worker/aliases.js";

/** Per task name as stored (a former name reported under its own name, checked as the task it became). */
export interface StoredTaskReport {
  taskName: string;
  /** Ready and running rows of this name. */
  checked: number;
  /** Rows whose payload this build could not run: bad after the upgrades, or an upgrade that fails. */
  failed: number;
  /** The first failing rows by id, each with why. */
  firstFailures: Array<{ id: string; message: string }>;
  /** Rows of a payload version newer than this build's: they wait for a newer deploy, they do not fail. */
  newer: number;
}

export interface StoredCheckReport {
  checked: number;
  tasks: StoredTaskReport[];
  /** Names no task of this build has (nor as an alias): they would never run. */
  unknown: Array<{ taskName: string; count: number; firstIds: string[] }>;
}

/**
 * Runs every stored ready and running payload through what this build's worker would do before
 * `run` (nesting bound, upgrades from its version, validation): `backie check` before a deploy.
 * Reads pages of `pageSize` rows by keyset on id, the next page fetched while one is checked;
 * memory holds two pages and `first` failures per name, whatever the table's size. Each page is one
 * short statement that locks no row (see AdminStore.findPendingPage), so the queue runs on.
 */
export async function checkStoredPayloads(
  admin: Pick<AdminStore, "findPendingPage">,
  registry: Readonly<Record<string, RegisteredTask>>,
  options: { pageSize?: number; first?: number; onPage?: (checked: number) => void } = {},
): Promise<StoredCheckReport> {
  const pageSize = options.pageSize ?? 5_000;
  const first = options.first ?? 5;
  const entries = withAliases(registry, "backie check");
  const tasks = new Map<string, StoredTaskReport>();
  const unknown = new Map<string, { taskName: string; count: number; firstIds: string[] }>();
  let checked = 0;
  const check = (row: PendingTask): void => {
    const entry = entries.get(row.taskName);
    if (entry === undefined) {
      const u = unknown.get(row.taskName) ?? { taskName: row.taskName, count: 0, firstIds: [] };
      u.count++;
      if (u.firstIds.length < first) u.firstIds.push(row.id);
      unknown.set(row.taskName, u);
      return;
    }
    let report = tasks.get(row.taskName);
    if (report === undefined) tasks.set(row.taskName, (report = { taskName: row.taskName, checked: 0, failed: 0, firstFailures: [], newer: 0 }));
    report.checked++;
    if (row.version > (entry.version ?? 0)) {
      report.newer++;
      return;
    }
    const outcome = runnablePayload(entry, row.taskName, row.version, row.payload);
    if (!("failed" in outcome)) return;
    report.failed++;
    if (report.firstFailures.length < first) report.firstFailures.push({ id: row.id, message: outcome.failed });
  };
  let page = await admin.findPendingPage("0", pageSize);
  while (page.length > 0) {
    const next = page.length === pageSize ? admin.findPendingPage(page.at(-1)!.id, pageSize) : undefined;
    // A rejected prefetch must not go unhandled while this page is checked; awaited below.
    next?.catch(() => {});
    for (const row of page) check(row);
    checked += page.length;
    options.onPage?.(checked);
    page = next === undefined ? [] : await next;
  }
  const byName = (a: { taskName: string }, b: { taskName: string }): number => (a.taskName < b.taskName ? -1 : a.taskName > b.taskName ? 1 : 0);
  return { checked, tasks: [...tasks.values()].sort(byName), unknown: [...unknown.values()].sort(byName) };
}
