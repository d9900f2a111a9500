import { readFileSync } from "node:fs";
import { fmt } from "./stats.js";

/** Hand-kept before/after figures of hot-path changes (bench/changes.md), shown with every run. */
function changes(): string {
  try {
    return `\n## Before and after\n\n${readFileSync(new URL("./changes.md", import.meta.url), "utf8").trim()}\n`;
  } catch {
    return "";
  }
}

/** One line of the results table; a scenario fills the columns that apply to it. */
export interface Row {
  scenario: string;
  system: string;
  variant: string;
  tasksPerSecond?: number;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  rssMb?: number;
  /** Against the scenario's own baseline (backlog: empty table; scale_out: one process). */
  ratio?: number;
  /** Figures that fit no column (sizes, counts). */
  note?: string;
  /** "ok" when the scenario's own check passed (each task exactly once, nothing pending). */
  verified: string;
}

const COLUMNS: Array<[string, (r: Row) => string]> = [
  ["scenario", (r) => r.scenario],
  ["system", (r) => r.system],
  ["variant", (r) => r.variant],
  ["tasks/s", (r) => fmt(r.tasksPerSecond)],
  ["p50 ms", (r) => fmt(r.p50Ms, 1)],
  ["p95 ms", (r) => fmt(r.p95Ms, 1)],
  ["p99 ms", (r) => fmt(r.p99Ms, 1)],
  ["RSS MB", (r) => fmt(r.rssMb)],
  ["ratio", (r) => fmt(r.ratio, 2)],
  ["check", (r) => r.verified],
  ["note", (r) => r.note ?? ""],
];

export function renderTable(rows: Row[], header: boolean): string {
  const cells = rows.map((r) => COLUMNS.map(([, get]) => get(r)));
  const all = header ? [COLUMNS.map(([h]) => h), ...cells] : cells;
  const widths = COLUMNS.map((_, i) => Math.max(...[COLUMNS[i]![0], ...cells.map((c) => c[i]!)].map((s) => s.length)));
  return all.map((c) => c.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/** Ratios of Backie to the best comparable figure of each other system, per scenario. */
export function ratios(rows: Row[]): string[] {
  const out: string[] = [];
  const scenarios = [...new Set(rows.map((r) => r.scenario))].filter((s) => s.startsWith("enqueue") || s.startsWith("process"));
  for (const scenario of scenarios) {
    const of = (system: string) => rows.filter((r) => r.scenario === scenario && r.system === system && r.tasksPerSecond !== undefined);
    const ours = of("backie").find((r) => r.variant.startsWith("default") || scenario.startsWith("enqueue"));
    if (!ours?.tasksPerSecond) continue;
    for (const other of ["graphile-worker", "pg-boss", "raw pg", "raw pg, no NOTIFY"]) {
      for (const r of of(other)) out.push(`${scenario}: backie ${fmt(ours.tasksPerSecond / r.tasksPerSecond!, 2)}× ${other} (${r.variant})`);
    }
  }
  return out;
}

export function renderMarkdown(report: { startedAt: Date; machine: string; command: string; rows: Row[]; failures: string[]; repeat: number }): string {
  const head = `| ${COLUMNS.map(([h]) => h).join(" | ")} |\n|${COLUMNS.map(() => " --- ").join("|")}|`;
  const body = report.rows.map((r) => `| ${COLUMNS.map(([, get]) => get(r)).join(" | ")} |`).join("\n");
  return `# Benchmarks

Backie, graphile-worker 0.18 and pg-boss 12 on the same PostgreSQL, each scenario in a fresh
database, every system with a pg pool of 10 connections. Each scenario checks its own result
(every task ran exactly once, nothing left pending; \`check\` column). This file is written by
the benchmark itself.

- Run: ${report.startedAt.toISOString()}, \`${report.command}\`${report.repeat > 1 ? ` (process figures are medians of ${report.repeat} rounds, the variants in turn; a ratio is the median of the rounds' ratios)` : ""}
- Machine: ${report.machine} — shared and noisy: compare ratios within one run, not absolute figures across runs.

${head}
${body}

Ratios in this run:

${ratios(report.rows).map((l) => `- ${l}`).join("\n")}

Reading it: \`scale_out\` shares the same two cores between PostgreSQL and every worker process,
so more processes cannot add throughput here (they show the cost of contention, and that several
processes share one database without running a task twice); on separate machines each process
brings its own CPU. \`partial\` marks a system measured over the 30 s window because it could not
finish (pg-boss polls every 2 s by default, one job per worker).
${report.failures.length > 0 ? `\nFailed scenarios:\n\n${report.failures.map((f) => `- ${f}`).join("\n")}\n` : ""}
See [bench/README.md](../bench/README.md) for what each scenario does and how to read it.
${changes()}`;
}
