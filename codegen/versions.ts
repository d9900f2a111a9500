import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { compareSchemas } from "./compat.js";
import type { CodegenConfig } from "./config.js";
import { CodegenError, type Diagnostic, type JsonSchema, type TaskModel } from "./model.js";
import { schemaTypes } from "./schemaType.js";

/** One payload schema version of a task, as the manifest keeps it. */
export interface VersionRecord {
  version: number;
  /** sha256 of the schema's canonical JSON, first 16 hex digits. */
  hash: string;
  /** How it differs from the version before: absent for the first. */
  change?: "compatible" | "breaking";
  /** Properties of the version before that this one no longer has (dropped from older payloads). */
  drop?: string[][];
  schema: JsonSchema;
}

export interface Baseline {
  /** Where it came from, for messages: `git HEAD:generated/manifest.json` or a file. */
  source: string;
  generation: number;
  tasks: Map<string, VersionRecord[]>;
  /** Each task's signal schemas (`signals` in the manifest), by task and signal name. */
  signals: Map<string, Record<string, { hash: string; schema: JsonSchema }>>;
}

/**
 * The last released manifest: `manifestBaseline` of backie.config.json (a file, or `git:<ref>`),
 * else the manifest as committed at git HEAD, else the one on disk. Released, not last generated:
 * regenerating while editing (or with --watch) must not mint a version per keystroke.
 */
export function readBaseline(config: CodegenConfig): Baseline {
  const file = path.posix.join(config.outDir.split(path.sep).join("/"), "manifest.json");
  const named = config.manifestBaseline;
  const candidates: Array<() => { source: string; text: string } | undefined> = [];
  if (named !== undefined) {
    candidates.push(named.startsWith("git:") ? () => fromGit(config.root, named.slice(4), file) : () => fromFile(path.resolve(config.root, named)));
  } else {
    candidates.push(() => fromGit(config.root, "HEAD", file), () => fromFile(path.resolve(config.root, file)));
  }
  for (const candidate of candidates) {
    const found = candidate();
    if (found !== undefined) return parseBaseline(found.source, found.text);
  }
  if (named !== undefined) throw new CodegenError([{ file: "backie.config.json", line: 1, message: `manifestBaseline "${named}": no manifest there` }]);
  return { source: "(none)", generation: 0, tasks: new Map(), signals: new Map() };
}

function fromGit(root: string, ref: string, file: string): { source: string; text: string } | undefined {
  try {
    const prefix = execFileSync("git", ["rev-parse", "--show-prefix"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const text = execFileSync("git", ["show", `${ref}:${prefix}${file}`], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 256 * 1024 * 1024 });
    return { source: `git ${ref}:${file}`, text };
  } catch {
    return undefined;
  }
}

function fromFile(file: string): { source: string; text: string } | undefined {
  return existsSync(file) ? { source: file, text: readFileSync(file, "utf8") } : undefined;
}

function parseBaseline(source: string, text: string): Baseline {
  let json: { generation?: unknown; tasks?: Array<{ name?: unknown; versions?: unknown; signals?: unknown }> };
  try {
    json = JSON.parse(text) as typeof json;
  } catch (error) {
    throw new CodegenError([{ file: source, line: 1, message: `the baseline manifest is not JSON (${(error as Error).message}): restore it from git` }]);
  }
  const tasks = new Map<string, VersionRecord[]>();
  const signals: Baseline["signals"] = new Map();
  for (const t of json.tasks ?? []) {
    if (typeof t.name === "string" && Array.isArray(t.versions)) tasks.set(t.name, t.versions as VersionRecord[]);
    if (typeof t.name === "string" && t.signals !== null && typeof t.signals === "object") signals.set(t.name, t.signals as Record<string, { hash: string; schema: JsonSchema }>);
  }
  return { source, generation: typeof json.generation === "number" ? json.generation : 0, tasks, signals };
}

export function schemaHash(schema: JsonSchema): string {
  return createHash("sha256").update(canonical(schema)).digest("hex").slice(0, 16);
}

/**
 * JSON with sorted keys, no annotations that do not change what validates, and the arrays whose
 * order means nothing (required, enum, type, anyOf, oneOf) sorted: the order the compiler lists a
 * union's members or a mapped type's keys in is not the payload's, and must not make a version.
 */
function canonical(value: unknown, unordered = false): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v));
    return `[${(unordered ? items.sort() : items).join(",")}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k]) => k !== "$comment" && k !== "description")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v, UNORDERED.has(k))}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const UNORDERED = new Set(["required", "enum", "type", "anyOf", "oneOf"]);

/**
 * Gives each task its version history: the baseline's (under its name or an alias), plus a new
 * version when the schema changed. A breaking change needs `upgrades[N]` in the task file, or
 * this throws with file:line, what broke and how to fix it. Returns the deploy's generation.
 */
export function assignVersions(tasks: TaskModel[], baseline: Baseline): number {
  const { generation, problems } = versionTasks(tasks, baseline);
  if (problems.length > 0) throw new CodegenError(problems);
  return generation;
}

/** assignVersions, with the problems returned instead of thrown (`backie check` lists them all). */
export function versionTasks(tasks: TaskModel[], baseline: Baseline): { generation: number; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  for (const task of tasks) {
    const history = [...(baseline.tasks.get(task.name) ?? task.aliases.map((a) => baseline.tasks.get(a)).find((h) => h !== undefined) ?? [])];
    const hash = schemaHash(task.schema);
    const latest = history.at(-1);
    // The released schema's hash recomputed, not the stored one: a manifest written by an
    // earlier canonical form must not make every task a new version.
    const changed = latest !== undefined && schemaHash(latest.schema) !== hash;
    if (latest === undefined) {
      history.push({ version: 1, hash, schema: task.schema });
    } else if (changed) {
      const { breaking, drop } = compareSchemas(latest.schema, task.schema);
      const version = latest.version + 1;
      history.push({ version, hash, change: breaking.length > 0 ? "breaking" : "compatible", ...(drop.length > 0 ? { drop } : {}), schema: task.schema });
      if (breaking.length > 0 && !task.upgrades.some((u) => u.from === latest.version)) {
        problems.push({
          file: task.file, line: task.line,
          message: `task "${task.name}": payload version ${version} breaks payloads of version ${latest.version} (${baseline.source}): ${breaking.join("; ")}. ` +
            `Tasks enqueued before the deploy must still run: add \`upgrades: { ${latest.version}: (old: ${versionTypeName(task, latest.version)}) => ({ ...old, /* the new fields */ }) }\` ` +
            `(import type { ${versionTypeName(task, latest.version)} } from "../generated/versions.js"), or make the change compatible (new fields optional)`,
        });
      }
    }
    // Breaking steps released before: their upgrades still run payloads stored since.
    for (const step of history.slice(0, changed ? -1 : undefined)) {
      if (step.change === "breaking" && !task.upgrades.some((u) => u.from === step.version - 1)) {
        problems.push({
          file: task.file, line: task.line,
          message: `task "${task.name}": payload version ${step.version} broke payloads of version ${step.version - 1} (${baseline.source}), and \`upgrades[${step.version - 1}]\` is gone: ` +
            `tasks of version ${step.version - 1} still stored would fail. Put it back (\`backie check --database-url\` counts the stored ones)`,
        });
      }
    }
    for (const upgrade of task.upgrades) {
      const step = history.find((h) => h.version === upgrade.from + 1);
      if (step?.change !== "breaking") {
        problems.push({ file: task.file, line: upgrade.line, message: `task "${task.name}": upgrades[${upgrade.from}] upgrades no breaking change (${step === undefined ? `there is no payload version ${upgrade.from + 1}` : `version ${upgrade.from + 1} is compatible with ${upgrade.from}`}): remove it` });
      }
    }
    task.versions = history;
  }
  const changed = tasks.some((t) => {
    const before = baseline.tasks.get(t.name);
    return before === undefined || before.length !== t.versions.length;
  }) || [...baseline.tasks.keys()].some((name) => !tasks.some((t) => t.name === name || t.aliases.includes(name)));
  return { generation: changed ? baseline.generation + 1 : baseline.generation, problems };
}

/** `SendWelcomeEmailV1`: the type of a task's payload at an older version. */
export function versionTypeName(task: Pick<TaskModel, "ident">, version: number): string {
  return `${task.ident[0]!.toUpperCase()}${task.ident.slice(1)}V${version}`;
}

/** generated/versions.ts: the payload type of every older version, for upgrades to take. */
export function emitVersions(tasks: ReadonlyArray<Pick<TaskModel, "ident" | "name" | "versions">>, header: string): string {
  const parts = [header, "// The payload types of older schema versions (their JSON form), for `upgrades` to take.", ""];
  for (const task of tasks) {
    for (const v of task.versions.slice(0, -1)) {
      parts.push(`/** Task "${task.name}", payload version ${v.version}. */`, schemaTypes(versionTypeName(task, v.version), v.schema), "");
    }
  }
  if (parts.length === 3) parts.push("export {};", "");
  return parts.join("\n");
}
