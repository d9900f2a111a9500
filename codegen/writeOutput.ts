import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { HEADER_MARK } from "./emit/header.js";

export interface OutputReport {
  /** Files (relative to the output folder) that differ from what is on disk. */
  changed: string[];
  /** Generated files on disk that codegen no longer produces. */
  removed: string[];
  /** A readable diff, for --check. */
  diff: string;
}

/** Compares the wanted files with the output folder; writes and removes only when `write`. */
export function syncOutput(outDir: string, files: Map<string, string>, write: boolean): OutputReport {
  const changed: string[] = [];
  const diffs: string[] = [];
  for (const [rel, text] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.join(outDir, rel);
    const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (current === text) continue;
    changed.push(rel);
    diffs.push(current === undefined ? `+++ ${rel} (missing)` : lineDiff(rel, current, text));
  }
  const removed = existingGenerated(outDir).filter((rel) => !files.has(rel));
  for (const rel of removed) diffs.push(`--- ${rel} (no longer generated)`);
  if (write) {
    for (const rel of changed) {
      const file = path.join(outDir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, files.get(rel)!);
    }
    for (const rel of removed) rmSync(path.join(outDir, rel));
  }
  return { changed, removed, diff: diffs.join("\n") };
}

/** Files under outDir that carry our header: the only ones we may delete. */
function existingGenerated(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (readFileSync(full, "utf8").slice(0, 400).includes(HEADER_MARK)) {
        found.push(path.relative(outDir, full).split(path.sep).join("/"));
      }
    }
  };
  walk(outDir);
  return found.sort();
}

/** A short diff: the first lines that differ, enough to see what went stale. */
function lineDiff(rel: string, before: string, after: string, limit = 20): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const out = [`--- ${rel} (on disk)`, `+++ ${rel} (generated)`];
  let shown = 0;
  for (let i = 0; i < Math.max(a.length, b.length) && shown < limit; i++) {
    if (a[i] === b[i]) continue;
    out.push(`@@ line ${i + 1}`);
    if (a[i] !== undefined) out.push(`-${a[i]}`);
    if (b[i] !== undefined) out.push(`+${b[i]}`);
    shown++;
  }
  return out.join("\n");
}
