import { parseArgs } from "node:util";
import { BackieError, type StoredSchedule } from "../../src/index.js";
import { COMMON_HELP, COMMON_OPTIONS, openStore, printable, projectContext, readManifest } from "../context.js";
import type { Command } from "./command.js";

const USAGE = `Usage: backie schedules [--json]
       backie schedules remove <id>...

Lists every stored schedule: its expression, time zone, last and next occurrence, and whether
this project's code declares it and knows its task. Workers write the schedules of the tasks they
register when they start; a schedule of a task no deploy registers any more stays until removed.

Commands:
  remove <id>...        delete stored schedules this project's code no longer declares

Options:
  --json                print JSON
${COMMON_HELP}`;

interface Row extends StoredSchedule {
  /** This project's code declares a schedule with this id (generated/manifest.json). */
  declared: boolean;
  /** This project's code defines the schedule's task. */
  taskKnown: boolean;
}

export const schedules: Command = {
  name: "schedules",
  summary: "recurring schedules: expression, time zone, last and next run, known task",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true, options: { ...COMMON_OPTIONS, json: { type: "boolean", default: false } },
    });
    const [action, ...ids] = positionals;
    if (action !== undefined && action !== "remove") throw new BackieError(`unknown action "${printable(action)}": use \`backie schedules\` or \`backie schedules remove <id>\``);
    const context = projectContext(values);
    const manifest = readManifest(context);
    const taskNames = new Set(manifest.map((t) => t.name));
    const declared = new Map(manifest.flatMap((t) => (t.schedules ?? []).map((s) => [s.id, { task: t, line: s.line }] as const)));
    if (action === "remove") {
      if (ids.length === 0) throw new BackieError("remove needs the id of at least one schedule (see `backie schedules`)");
      for (const id of ids) {
        const owner = declared.get(id);
        if (owner) throw new BackieError(`schedule "${printable(id)}" is declared in ${owner.task.file}:${owner.line}: remove it from the code instead (the next worker start would add it back)`);
      }
    }
    const store = openStore(values, context);
    try {
      if (action === "remove") {
        const removed = new Set(await store.schedules.deleteSchedules(ids));
        const missing = ids.filter((id) => !removed.has(id));
        for (const id of removed) console.log(`removed schedule ${id}`);
        if (missing.length > 0) throw new BackieError(`no stored schedule ${missing.map((id) => `"${printable(id)}"`).join(", ")} (see \`backie schedules\`)`);
        return 0;
      }
      const { now, schedules: stored } = await store.schedules.listSchedules();
      const rows: Row[] = stored.map((s) => ({ ...s, declared: declared.has(s.id), taskKnown: taskNames.has(s.taskName) }));
      const storedIds = new Set(stored.map((s) => s.id));
      const unreconciled = [...declared.keys()].filter((id) => !storedIds.has(id));
      if (values.json) {
        console.log(JSON.stringify({ now, schedules: rows, declaredNotStored: unreconciled }, null, 2));
        return 0;
      }
      if (rows.length === 0) console.log("no stored schedules");
      else printTable(rows, now);
      const orphans = rows.filter((r) => !r.taskKnown);
      if (orphans.length > 0) {
        console.log(`\nschedules of tasks this project does not define (another deploy's, or left behind; \`backie schedules remove <id>\`): ${orphans.map((r) => r.id).join(", ")}`);
      }
      if (unreconciled.length > 0) {
        console.log(`\ndeclared in the code but not stored yet (a worker writes them when it starts): ${unreconciled.join(", ")}`);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};

function printTable(rows: Row[], now: Date): void {
  const table = [
    ["id", "task", "cron", "tz", "last", "next", "missed", "overlap", "task known"],
    ...rows.map((r) => [
      r.id, r.taskName, r.cron, r.tz, r.lastAt?.toISOString() ?? "-",
      r.nextAt ? `${r.nextAt.toISOString()} (${relative(r.nextAt.getTime() - now.getTime())})` : "never",
      r.missed === "all" ? `all (max ${r.maxMissed})` : r.missed, r.overlap, r.taskKnown ? "yes" : "NO",
    ]),
  ].map((row) => row.map((cell) => printable(cell)));
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
}

function relative(ms: number): string {
  const sign = ms < 0 ? "overdue " : "in ";
  const abs = Math.abs(ms);
  if (abs < 120_000) return `${sign}${Math.round(abs / 1_000)} s`;
  if (abs < 7_200_000) return `${sign}${Math.round(abs / 60_000)} min`;
  if (abs < 172_800_000) return `${sign}${Math.round(abs / 3_600_000)} h`;
  return `${sign}${Math.round(abs / 86_400_000)} d`;
}
