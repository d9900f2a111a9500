import path from "node:path";
import { parseArgs } from "node:util";
import { checkStoredPayloads, type RegisteredTask, type StoredCheckReport } from "../../src/index.js";
import { COMMON_HELP, COMMON_OPTIONS, importGenerated, intOption, openStore, printable, projectContext, type ProjectContext } from "../context.js";
import type { Command } from "./command.js";
import type { Diagnostic } from "../../codegen/model.js";

const USAGE = `Usage: backie check [--baseline SOURCE] [--database-url URL | --stored] [--first N] [--json]

Before a deploy. Compares the task files with the released manifest (git HEAD's
generated/manifest.json, or SOURCE: git:<ref> such as git:origin/main, or a file) and lists every
payload change: a breaking one without its \`upgrades[N]\` fails. With a database, it also runs every
stored ready and running payload through this build's upgrades and schemas, and reports per task
how many would fail (with the first ids and why), how many wait for a newer deploy, and stored
task names this build does not know. Reads pages of rows by id: no row locks, no long
transaction; a read-only role is enough. Exit 1 when anything would fail.

Options:
  --baseline SOURCE     the released manifest: git:<ref> or a file (default: manifestBaseline, then git HEAD)
  --stored              check stored payloads in the database of DATABASE_URL or the config
  --stored-only         only the stored payloads (no task files needed; uses generated/registry)
  --first N             failing ids to list per task (default 5, at most 1000)
  --json                print JSON
${COMMON_HELP}`;

export const check: Command = {
  name: "check",
  summary: "before a deploy: breaking payload changes without upgrades; stored payloads this build cannot run",
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        ...COMMON_OPTIONS, baseline: { type: "string" }, stored: { type: "boolean", default: false },
        "stored-only": { type: "boolean", default: false }, first: { type: "string" }, json: { type: "boolean", default: false },
      },
    });
    const context = projectContext(values);
    const first = values.first === undefined ? 5 : intOption("--first", values.first, 1, 1_000);
    const out: { code?: CodeReport; stored?: StoredCheckReport & { ms: number } } = {};
    let failed = false;
    if (!values["stored-only"]) {
      out.code = await codeReport(context, values.baseline);
      failed ||= out.code.problems.length > 0;
      if (!values.json) printCode(out.code);
    }
    if (values.stored || values["stored-only"] || values["database-url"] !== undefined) {
      out.stored = await storedReport(values, context, first, !values.json);
      failed ||= out.stored.tasks.some((t) => t.failed > 0) || out.stored.unknown.length > 0;
      if (!values.json) printStored(out.stored);
    }
    if (values.json) console.log(JSON.stringify(out, null, 2));
    return failed ? 1 : 0;
  },
};

type CodeReport = Awaited<ReturnType<typeof codeReport>>;

async function codeReport(context: ProjectContext, baseline: string | undefined) {
  // The compiler is heavy: loaded only here.
  const [{ checkDeploy }, { CodegenError }] = await Promise.all([import("../../codegen/deployCheck.js"), import("../../codegen/model.js")]);
  const named = baseline === undefined ? undefined : baseline.startsWith("git:") ? baseline : path.resolve(baseline);
  const where = (p: Diagnostic): string => `${path.relative(process.cwd(), path.resolve(context.config.root, p.file)) || p.file}:${p.line}: ${p.message}`;
  try {
    const report = checkDeploy({ ...context.config, ...(named !== undefined ? { manifestBaseline: named } : {}) });
    return { ...report, problems: report.problems.map(where) };
  } catch (error) {
    // Task files that do not compile, a baseline that cannot be read: listed like the rest.
    if (!(error instanceof CodegenError)) throw error;
    return { baseline: named ?? "(not read)", changes: [], signalChanges: [], problems: error.diagnostics.map(where) };
  }
}

function printCode(report: CodeReport): void {
  console.log(`payload schemas against ${report.baseline}: ${report.changes.length === 0 ? "no changes" : `${report.changes.length} change(s)`}`);
  for (const c of report.changes) {
    console.log(`  ${c.task}: version ${c.from} -> ${c.to}, ${c.change}${c.change === "breaking" ? (c.upgraded ? ", upgraded by upgrades[" + c.from + "]" : ", NO UPGRADE") : ""}`);
  }
  for (const s of report.signalChanges) {
    const why = s.change === "removed"
      ? "waits for it in tasks parked now never end until their time-out"
      : s.change === "breaking" ? "signals sent before the deploy (or by old code during it) may not fit the new type" : "older signals still fit";
    console.log(`  ${s.task}: signal "${s.signal}" ${s.change === "removed" ? "removed" : `changed (${s.change})`}: ${why}`);
  }
  for (const p of report.problems) console.log(`error: ${p}`);
}

async function storedReport(values: Parameters<typeof openStore>[0], context: ProjectContext, first: number, progress: boolean) {
  const { registry } = await importGenerated<{ registry: Readonly<Record<string, RegisteredTask>> }>(context, "registry");
  const store = openStore(values, context);
  const started = performance.now();
  try {
    let said = 0;
    const report = await checkStoredPayloads(store.admin, registry, {
      first,
      onPage: (n) => {
        if (progress && n - said >= 100_000) console.error(`  ${(said = n).toLocaleString("en-US")} checked...`);
      },
    });
    return { ...report, ms: Math.round(performance.now() - started) };
  } finally {
    await store.close();
  }
}

function printStored(report: StoredCheckReport & { ms: number }): void {
  console.log(`stored payloads: ${report.checked.toLocaleString("en-US")} ready and running checked in ${(report.ms / 1000).toFixed(1)} s`);
  for (const t of report.tasks) {
    const parts = [`${t.checked} stored`, `${t.failed} would fail`, ...(t.newer > 0 ? [`${t.newer} wait for a newer deploy (a newer payload version)`] : [])];
    console.log(`  ${t.failed > 0 ? "FAIL" : "ok  "} ${t.taskName}: ${parts.join(", ")}`);
    for (const f of t.firstFailures) console.log(`       #${f.id}: ${f.message}`);
  }
  for (const u of report.unknown) {
    console.log(`  FAIL ${printable(u.taskName)}: ${u.count} stored under a name this build does not know (first ids ${u.firstIds.join(", ")}): keep the task, or list the name in its aliases`);
  }
}
