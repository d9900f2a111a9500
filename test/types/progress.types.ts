/**
 * Type-level tests of progress, checked by `npm run typecheck`: the progress type is declared by
 * annotating `ctx`, checked on every `ctx.progress` call, and read back with `ProgressOf`.
 */
import { findProgress } from "../../generated/enqueue.js";
import { defineTask, type ProgressOf, type TaskContext, type TaskStore } from "../../src/index.js";
import type { ReportProgress } from "../../tasks/generateReport.js";

interface Import {
  rows: number;
  phase: "read" | "write";
}

export const importer = defineTask({
  name: "typed_import",
  run(payload: { file: string }, ctx: TaskContext<Import>) {
    ctx.progress({ rows: 10, phase: "read" });
    // @ts-expect-error -- not a phase of Import
    ctx.progress({ rows: 10, phase: "parse" });
    // @ts-expect-error -- rows is a number
    ctx.progress({ rows: "10", phase: "write" });
    void payload.file;
  },
});

export const progressType: Import = null as unknown as ProgressOf<typeof importer>;
// @ts-expect-error -- ProgressOf gives Import, not a string
export const notString: string = null as unknown as ProgressOf<typeof importer>;

/** Without an annotation any JSON value goes (checked at run time). */
export const untyped = defineTask({
  name: "untyped_progress",
  run(_payload: object, ctx) {
    ctx.progress(42);
    ctx.progress({ anything: ["goes"] });
  },
});

/** The generated client carries each task's progress type. */
export async function readReport(store: TaskStore, id: string): Promise<void> {
  const progress: ReportProgress | null = await findProgress(store, "generate_report", id);
  // @ts-expect-error -- percent is a number
  const text: string | undefined = progress?.percent;
  // @ts-expect-error -- not a task name
  await findProgress(store, "generate_reports", id);
  void text;
}
