import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { Project, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { tempDir } from "../support/tempDir.js";
import { loadConfig } from "../../codegen/config.js";
import { scanTasks } from "../../codegen/scanTasks.js";
import { reviveDates } from "../../src/worker/executor.js";

/**
 * Every payload type people write: its schema is a golden file, and it accepts exactly what the
 * TypeScript type accepts. Each sample is checked both by the compiler (invalid ones carry
 * `@ts-expect-error`, which itself errors when unused) and by the generated schema.
 */
interface Sample {
  json: unknown;
  /** The sample as TypeScript source, when it differs from its JSON (a Date). */
  ts?: string;
  /** A constraint TypeScript cannot express (a format, a bound): checked by the schema only. */
  schemaOnly?: boolean;
}
interface Case {
  name: string;
  /** Declarations, then `run(payload: PAYLOAD)`. */
  decl: string;
  payload: string;
  valid: Sample[];
  invalid: Sample[];
}

const s = (json: unknown, extra: Omit<Sample, "json"> = {}): Sample => ({ json, ...extra });

const CASES: Case[] = [
  { name: "interface", decl: "export interface P { id: string; count: number; ok: boolean }", payload: "P",
    valid: [s({ id: "a", count: 1.5, ok: true })], invalid: [s({ id: 1, count: 1, ok: true }), s({ id: "a", count: 1 })] },
  { name: "alias_optional", decl: "export type P = { id: string; note?: string }", payload: "P",
    valid: [s({ id: "a" }), s({ id: "a", note: "n" })], invalid: [s({ note: "n" }), s({ id: "a", note: 1 }), s({ id: "a", extra: 1 })] },
  { name: "imported", decl: 'import type { Inner } from "../types/reexport.js";\nexport type P = { inner: Inner }', payload: "P",
    valid: [s({ inner: { value: 1 } })], invalid: [s({ inner: { value: "1" } })] },
  { name: "string_literals", decl: 'export type P = { mode: "fast" | "slow" }', payload: "P",
    valid: [s({ mode: "fast" }), s({ mode: "slow" })], invalid: [s({ mode: "medium" })] },
  { name: "number_literals", decl: "export type P = { level: 1 | 2 | 3 }", payload: "P",
    valid: [s({ level: 2 })], invalid: [s({ level: 4 }), s({ level: "2" })] },
  { name: "enum", decl: "export enum Level { Low = 1, High = 2 }\nexport type P = { level: Level }", payload: "P",
    valid: [s({ level: 1 }), s({ level: 2 })], invalid: [s({ level: 3 })] },
  { name: "discriminated_union", decl: 'export type P = { kind: "circle"; r: number } | { kind: "square"; side: number }', payload: "P",
    valid: [s({ kind: "circle", r: 1 }), s({ kind: "square", side: 2 })], invalid: [s({ kind: "circle", side: 1 }), s({ kind: "triangle" })] },
  { name: "arrays_tuples", decl: "export type P = { tags: string[]; point: [number, number]; opt?: [string, number?]; rest?: [string, ...number[]] }", payload: "P",
    valid: [s({ tags: [], point: [1, 2] }), s({ tags: ["a"], point: [0, 0], opt: ["x"], rest: ["r", 1, 2] })],
    invalid: [s({ tags: [1], point: [1, 2] }), s({ tags: [], point: [1] }), s({ tags: [], point: [1, 2, 3] }), s({ tags: [], point: [1, 2], rest: [1] })] },
  { name: "nested", decl: "export interface P { user: { profile: { age: number; emails: Array<{ address: string }> } } }", payload: "P",
    valid: [s({ user: { profile: { age: 3, emails: [{ address: "a" }] } } })], invalid: [s({ user: { profile: { age: 3, emails: [{ address: 1 }] } } })] },
  { name: "record", decl: "export type P = { counts: Record<string, number> }", payload: "P",
    valid: [s({ counts: {} }), s({ counts: { a: 1 } })], invalid: [s({ counts: { a: "x" } })] },
  { name: "partial_pick_omit", decl: 'type Base = { a: string; b: number; c: boolean };\nexport type P = Partial<Pick<Base, "a" | "b">> & Omit<Base, "a" | "b">', payload: "P",
    valid: [s({ c: true }), s({ a: "x", b: 1, c: false })], invalid: [s({ a: "x" }), s({ c: true, b: "1" })] },
  { name: "generic", decl: "interface Envelope<T> { traceId: string; body: T }\ninterface Order { id: string; total: number }\nexport type P = Envelope<Order>", payload: "P",
    valid: [s({ traceId: "t", body: { id: "o", total: 3 } })], invalid: [s({ traceId: "t", body: { id: "o" } }), s({ traceId: "t" })] },
  { name: "recursive", decl: "export interface Tree { name: string; children: Tree[] }", payload: "Tree",
    valid: [s({ name: "a", children: [{ name: "b", children: [] }] })], invalid: [s({ name: "a", children: [{ name: "b" }] })] },
  { name: "date", decl: "export type P = { at: Date; history?: Date[] }", payload: "P",
    valid: [s({ at: "2026-01-02T03:04:05.000Z" }, { ts: '{ at: new Date("2026-01-02T03:04:05.000Z") }' })],
    invalid: [s({ at: "yesterday" }, { ts: '{ at: "yesterday" }' }), s({ at: 5 })] },
  { name: "recursive_date", decl: "export interface Thread { at: Date; replies: Thread[]; quoted?: Post }\ninterface Post { at: Date; thread?: Thread }", payload: "Thread",
    valid: [s({ at: "2026-01-02T03:04:05.000Z", replies: [] }, { ts: '{ at: new Date(), replies: [{ at: new Date(), replies: [] }] }' })],
    invalid: [s({ at: "2026-01-02T03:04:05.000Z", replies: [{ at: "later", replies: [] }] }, { ts: '{ at: new Date(), replies: [{ at: "later", replies: [] }] }' })] },
  { name: "inline", decl: "", payload: "{ a: { b: string }; c?: number | null }",
    valid: [s({ a: { b: "x" } }), s({ a: { b: "x" }, c: null }), s({ a: { b: "x" }, c: 1 })], invalid: [s({ a: {} }), s({ a: { b: "x" }, c: "1" })] },
  { name: "jsdoc", payload: "P", decl: `export interface P {
  /** @format email */
  email: string;
  /** @minimum 1 @maximum 10 */
  n: number;
  /** @minLength 2 @maxLength 3 */
  code: string;
  /** @pattern ^[a-z]+$ */
  slug: string;
  /** @description Shown to the user */
  label: string;
}`,
    valid: [s({ email: "a@b.co", n: 10, code: "ab", slug: "abc", label: "" })],
    invalid: [
      s({ email: "nope", n: 1, code: "ab", slug: "a", label: "" }, { schemaOnly: true }),
      s({ email: "a@b.co", n: 11, code: "ab", slug: "a", label: "" }, { schemaOnly: true }),
      s({ email: "a@b.co", n: 1, code: "abcd", slug: "a", label: "" }, { schemaOnly: true }),
      s({ email: "a@b.co", n: 1, code: "ab", slug: "A1", label: "" }, { schemaOnly: true }),
      s({ email: "a@b.co", n: 1, code: "ab", slug: "a" }),
    ] },
];

const RUNTIME = fileURLToPath(new URL("../../src/index.js", import.meta.url));
const GOLDEN = fileURLToPath(new URL("../fixtures/codegen/types/", import.meta.url));

const root = tempDir("types");
mkdirSync(path.join(root, "tasks"));
mkdirSync(path.join(root, "types"));
writeFileSync(path.join(root, "types", "inner.ts"), "export interface Inner { value: number }\n");
writeFileSync(path.join(root, "types", "reexport.ts"), 'export type { Inner } from "./inner.js";\n');
for (const c of CASES) {
  writeFileSync(path.join(root, "tasks", `${c.name}.ts`), `import { defineTask } from ${JSON.stringify(RUNTIME)};
${c.decl}
export default defineTask({
  name: ${JSON.stringify(c.name)},
  async run(payload: ${c.payload}) {
    void payload;
  },
});
`);
}
const tasks = new Map(scanTasks(loadConfig(root, { runtimeImport: RUNTIME })).map((t) => [t.name, t]));

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
addFormats(ajv);

describe("payload types: schema golden files", () => {
  for (const c of CASES) {
    it(`${c.name}`, () => {
      const file = path.join(GOLDEN, `${c.name}.schema.json`);
      const text = `${JSON.stringify(tasks.get(c.name)!.schema, null, 2)}\n`;
      if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, text);
      }
      expect(text).toBe(readFileSync(file, "utf8"));
    });
  }
});

describe("payload types: the schema accepts what the type accepts and rejects what it rejects", () => {
  it("the compiler agrees with every sample (valid ones compile, invalid ones do not)", () => {
    const lines = [`import type { PayloadOf } from ${JSON.stringify(RUNTIME)};`];
    CASES.forEach((c, i) => {
      lines.push(`import type task${i} from "./tasks/${c.name}.js";`);
      if (c.name === "enum") lines.push(`import { Level } from "./tasks/enum.js";\nvoid Level;`);
      c.valid.forEach((v, j) => lines.push(`export const v${i}_${j}: PayloadOf<typeof task${i}> = ${v.ts ?? JSON.stringify(v.json)};`));
      c.invalid.forEach((v, j) => {
        if (!v.schemaOnly) lines.push("// @ts-expect-error", `export const x${i}_${j}: PayloadOf<typeof task${i}> = ${v.ts ?? JSON.stringify(v.json)};`);
      });
    });
    writeFileSync(path.join(root, "check.ts"), `${lines.join("\n")}\n`);
    const project = new Project({
      compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
    });
    const check = project.addSourceFileAtPath(path.join(root, "check.ts"));
    project.resolveSourceFileDependencies();
    const errors = check.getPreEmitDiagnostics().map((d) => `check.ts:${d.getLineNumber()}: ${ts.flattenDiagnosticMessageText(d.getMessageText() as string, " ")}`);
    expect(errors).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.name}`, () => {
      const validate = ajv.compile(tasks.get(c.name)!.schema);
      for (const v of c.valid) expect(validate(v.json), `${c.name} should accept ${JSON.stringify(v.json)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      for (const v of c.invalid) expect(validate(v.json), `${c.name} should reject ${JSON.stringify(v.json)}`).toBe(false);
    });
  }
});

describe("Date round trip", () => {
  it("records where Dates are and revives them for run", () => {
    expect(tasks.get("date")!.dates).toEqual([["at"], ["history", "*"]]);
    const payload = reviveDates({ at: "2026-01-02T03:04:05.000Z", history: ["2026-01-01T00:00:00.000Z"] }, tasks.get("date")!.dates) as { at: Date; history: Date[] };
    expect(payload.at).toBeInstanceOf(Date);
    expect(payload.at.toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect(payload.history[0]).toBeInstanceOf(Date);
  });

  it("revives Dates at any depth of a recursive type, through references to its $defs", () => {
    expect(tasks.get("recursive")!.dates).toEqual([]);
    type Thread = { at: Date; replies: Thread[]; quoted?: { at: Date; thread?: Thread } };
    const iso = (n: number) => `2026-01-0${n}T00:00:00.000Z`;
    const stored = {
      at: iso(1),
      replies: [{ at: iso(2), replies: [{ at: iso(3), replies: [], quoted: { at: iso(4), thread: { at: iso(5), replies: [] } } }] }],
    };
    const thread = reviveDates(stored, tasks.get("recursive_date")!.dates) as Thread;
    const deepest = thread.replies[0]!.replies[0]!;
    const revived = [thread.at, thread.replies[0]!.at, deepest.at, deepest.quoted!.at, deepest.quoted!.thread!.at];
    expect(revived.map((d) => d instanceof Date && d.toISOString())).toEqual([1, 2, 3, 4, 5].map(iso));
  });
});
