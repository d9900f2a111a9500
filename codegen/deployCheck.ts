import type { CodegenConfig } from "./config.js";
import { header } from "./emit/header.js";
import type { Diagnostic, TaskModel } from "./model.js";
import { identFor, scanTasks } from "./scanTasks.js";
import { emitVersions, readBaseline, schemaHash, versionTasks, type Baseline } from "./versions.js";
import { compareSchemas } from "./compat.js";

/** The task files, read with generated/versions.ts as the baseline makes it (upgrades name its types). */
export function scanWithBaseline(config: CodegenConfig): { baseline: Baseline; tasks: TaskModel[] } {
  const baseline = readBaseline(config);
  const known = [...baseline.tasks].map(([name, versions]) => ({ name, ident: identFor(name), versions: [...versions, versions.at(-1)!] }));
  return { baseline, tasks: scanTasks(config, { versionsSource: emitVersions(known, header(config.tasksDir)) }) };
}

/** A task whose payload schema differs from the baseline's latest version. */
export interface VersionChange {
  task: string;
  from: number;
  to: number;
  change: "compatible" | "breaking";
  /** For a breaking change: whether the task file has its `upgrades[from]`. */
  upgraded: boolean;
}

/**
 * `backie check` without a database: the task files against the released manifest (git HEAD's, or
 * `manifestBaseline`), as `backie gen` versions them, with every problem listed instead of the
 * first run stopping at them: breaking changes without an upgrade, upgrades that were removed or
 * upgrade nothing. Writes nothing.
 */
/** A signal whose payload type changed since the baseline, or that is gone. */
export interface SignalChange {
  task: string;
  signal: string;
  change: "compatible" | "breaking" | "removed";
}

export function checkDeploy(config: CodegenConfig): { baseline: string; changes: VersionChange[]; signalChanges: SignalChange[]; problems: Diagnostic[] } {
  const { baseline, tasks } = scanWithBaseline(config);
  const { problems } = versionTasks(tasks, baseline);
  const changes: VersionChange[] = [];
  for (const task of tasks) {
    const before = baseline.tasks.get(task.name) ?? task.aliases.map((a) => baseline.tasks.get(a)).find((h) => h !== undefined) ?? [];
    for (const step of task.versions.slice(before.length)) {
      if (step.change === undefined) continue;
      changes.push({
        task: task.name, from: step.version - 1, to: step.version, change: step.change,
        upgraded: task.upgrades.some((u) => u.from === step.version - 1),
      });
    }
  }
  const signalChanges: SignalChange[] = [];
  for (const task of tasks) {
    const before = baseline.signals.get(task.name) ?? task.aliases.map((a) => baseline.signals.get(a)).find((s) => s !== undefined) ?? {};
    for (const [signal, old] of Object.entries(before)) {
      const now = task.signals.find((s) => s.name === signal);
      if (now === undefined) signalChanges.push({ task: task.name, signal, change: "removed" });
      else if (schemaHash(now.schema) !== schemaHash(old.schema)) {
        signalChanges.push({ task: task.name, signal, change: compareSchemas(old.schema, now.schema).breaking.length > 0 ? "breaking" : "compatible" });
      }
    }
  }
  return { baseline: baseline.source, changes, signalChanges, problems };
}
