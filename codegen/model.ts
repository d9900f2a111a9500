import type { SignalModel } from "./durableTypes.js";
/**
 * The plain data model between reading task files and emitting text. No ts-morph object leaves
 * the scanner: emitters are pure functions of this model.
 */

import type { VersionRecord } from "./versions.js";

export type JsonSchema = { [key: string]: unknown };

export interface TaskModel {
  /** The task's `name` literal. */
  name: string;
  /** Identifier used for `enqueue.<ident>` and generated names (camelCase of `name`). */
  ident: string;
  /** Task file relative to the project root, POSIX separators. */
  file: string;
  /** Module specifier of the task file as seen from the output folder (`../tasks/x.js`). */
  importPath: string;
  /** 1-based line of the `defineTask` call. */
  line: number;
  queue: string;
  maxRetries: number;
  timeoutMs: number | null;
  /** Source text of a self-contained `uniqueKey` function, type annotations removed. */
  uniqueKeySource: string | null;
  /** Likewise for `concurrencyKey`. */
  concurrencyKeySource: string | null;
  /** JSON Schema (draft 2020-12) of the payload. */
  schema: JsonSchema;
  /** Paths of `Date` values, revived from their ISO strings before `run`. */
  dates: string[][];
  /** Declared schedules (checked; payloads stay in the task file). */
  schedules: ScheduleModel[];
  /** Former names (`aliases`). */
  aliases: string[];
  /** The versions `upgrades` upgrades from, with the line of each. */
  upgrades: Array<{ from: number; line: number }>;
  /** The payload schema's history, the current version last (filled in by assignVersions). */
  versions: VersionRecord[];
  /** The signals its runs may wait for (`signals`), with their payload schemas. */
  signals: SignalModel[];
}

export interface ScheduleModel {
  id: string;
  cron: string;
  tz: string;
  /** 1-based line of the schedule's object literal. */
  line: number;
}

export interface GenerateModel {
  tasks: TaskModel[];
  /** Module specifier of the runtime as seen from the output folder ("backie" or a relative path). */
  runtimeImport: string;
  /** Module specifier of the worker settings file (`../backie.worker.js`), if the project has one. */
  workerImport?: string | undefined;
  /** The deploy's generation (see assignVersions); 0 when not computed. */
  generation?: number;
}

/** A problem in the user's task files: where, and what to do. */
export interface Diagnostic {
  file: string;
  line: number;
  message: string;
}

export class CodegenError extends Error {
  override name = "CodegenError";
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join("\n"));
  }
}
