import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { messagesOf, RUNTIME } from "../support/codegen.js";
import { tempDir } from "../support/tempDir.js";
import { loadConfig } from "../../codegen/config.js";
import { generate } from "../../codegen/generate.js";
import { CodegenError } from "../../codegen/model.js";

/** A throwaway project whose tasks/ holds the given files; returns codegen's diagnostics. */
function diagnose(files: Record<string, string>, rootFiles: Record<string, string> = {}): { messages: string[]; outDir: string } {
  const root = tempDir("codegen");
  mkdirSync(path.join(root, "tasks"));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(root, "tasks", name), text.replaceAll("RUNTIME", RUNTIME));
  }
  for (const [name, text] of Object.entries(rootFiles)) writeFileSync(path.join(root, name), text.replaceAll("RUNTIME", RUNTIME));
  const config = loadConfig(root, { runtimeImport: RUNTIME });
  try {
    generate(config, { check: false });
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return { messages: error.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`), outDir: path.join(root, "generated") };
  }
  throw new Error("codegen accepted the files");
}


const task = (name: string, payload = "{ id: string }", extra = "") => `import { defineTask } from "RUNTIME";
export default defineTask({
  name: ${name},${extra}
  async run(payload: ${payload}) {
    void payload;
  },
});
`;

describe("codegen errors name the file, line and what to do", () => {
  const { messages, outDir } = diagnose({
    "a.ts": task('"same"'),
    "b.ts": task('"same"'),
    "missingName.ts": `import { defineTask } from "RUNTIME";\nexport default defineTask({\n  async run(p: { a: string }) { void p; },\n} as never);\n`,
    "nonLiteral.ts": `import { defineTask } from "RUNTIME";\nconst n = "x" + "y";\nexport default defineTask({\n  name: n,\n  async run(p: { a: string }) { void p; },\n});\n`,
    "noDefault.ts": `export const x = 1;\n`,
    "notDefineTask.ts": `export default { name: "plain" };\n`,
    "payloads.ts": task(
      '"bad_payload"',
      "{ cb: () => void; big: bigint; sym: symbol; m: Map<string, number>; s: Set<string>; a: any; u: unknown; nested: { deep: Map<string, string> } }",
    ),
    "klass.ts": `import { defineTask } from "RUNTIME";\nclass Point { x = 0; norm() { return this.x; } }\nexport default defineTask({\n  name: "klass",\n  async run(p: { at: Point }) { void p; },\n});\n`,
    "key.ts": `import { defineTask } from "RUNTIME";\nconst prefix = "k";\nexport default defineTask({\n  name: "keyed",\n  async run(p: { id: string }) { void p; },\n  uniqueKey: (p) => prefix + p.id,\n});\n`,
  });
  const find = (pattern: RegExp) => messages.filter((m) => pattern.test(m));

  it("reports duplicate task names with both places", () => {
    expect(find(/duplicate task name "same"/)).toEqual([
      'tasks/b.ts:2: duplicate task name "same": defined in tasks/a.ts:2 and tasks/b.ts:2; names must be unique',
    ]);
  });
  it("reports a missing name", () => {
    expect(find(/missingName/)).toEqual(['tasks/missingName.ts:2: missing `name`: defineTask({ name: "..." })']);
  });
  it("reports a name that is not a literal", () => {
    expect(find(/nonLiteral/)).toEqual(["tasks/nonLiteral.ts:4: `name` must be a non-empty string literal (codegen reads it without running your code)"]);
  });
  it("reports a file without a default export", () => {
    expect(find(/noDefault/)).toEqual(["tasks/noDefault.ts:1: no default export: a task file must `export default defineTask({...})`"]);
  });
  it("reports a default export that is not defineTask", () => {
    expect(find(/notDefineTask/)).toEqual(["tasks/notDefineTask.ts:1: the default export is not a defineTask(...) call: `export default defineTask({...})`"]);
  });
  it("reports every payload part that is not JSON, with its property path", () => {
    const payload = find(/bad_payload/).map((m) => m.replace(/^tasks\/payloads\.ts:\d+: task "bad_payload": payload /, ""));
    expect(payload).toEqual([
      "$.cb: a function is not JSON: remove it from the payload",
      "$.big: `bigint` is not JSON: use a number or a decimal string",
      "$.sym: `symbol` is not JSON: use a string",
      "$.m: a Map is not JSON: use Record<string, T> or an array of pairs",
      "$.s: a Set is not JSON: use an array",
      "$.a: `any` has no JSON Schema: give this a JSON type",
      "$.u: `unknown` has no JSON Schema: give this a JSON type",
      "$.nested.deep: a Map is not JSON: use Record<string, T> or an array of pairs",
    ]);
  });
  it("reports a class instance with methods", () => {
    expect(find(/klass/)).toEqual(['tasks/klass.ts:5: task "klass": payload $.at: an instance of class Point has methods and is not JSON: use an interface']);
  });
  it("reports a uniqueKey that uses something from outside", () => {
    expect(find(/keyed/)).toEqual([
      'tasks/key.ts:6: task "keyed": uniqueKey uses `prefix` from outside the function; it may only use its payload parameter and built-ins (codegen copies it into the enqueue client)',
    ]);
  });
  it("writes nothing when it fails", () => {
    expect(() => readdirSync(outDir)).toThrow(/ENOENT/);
  });
});

describe("a task file that does not type-check", () => {
  it("is reported with its file, line and the compiler's message", () => {
    const { messages } = diagnose({
      "typo.ts": `import { defineTask } from "RUNTIME";\nexport default defineTask({\n  name: "typo",\n  async run(p: { id: string }) {\n    const n: number = p.id;\n    void n;\n  },\n});\n`,
    });
    expect(messages).toEqual(["tasks/typo.ts:5: does not type-check: Type 'string' is not assignable to type 'number'."]);
  });

  it("includes ctx.enqueue calls: a misspelt task or a wrong payload field, on the first run", () => {
    const caller = (call: string) => `import { defineTask } from "RUNTIME";\nexport default defineTask({\n  name: "caller",\n  async run(p: { id: string }, ctx) {\n    await ${call};\n  },\n});\n`;
    const target = task('"mail_user"', "{ userId: string }");
    const misspelt = diagnose({ "caller.ts": caller("ctx.enqueue.mailUsr({ userId: p.id })"), "mailUser.ts": target }).messages;
    expect(misspelt).toEqual([
      "tasks/caller.ts:5: does not type-check: Property 'mailUsr' does not exist on type 'TaskEnqueue'. Did you mean 'mailUser'?",
    ]);
    const wrongField = diagnose({ "caller.ts": caller("ctx.enqueue.mailUser({ user: p.id })"), "mailUser.ts": target }).messages;
    expect(wrongField).toEqual([
      "tasks/caller.ts:5: does not type-check: Object literal may only specify known properties, and 'user' does not exist in type '{ userId: string; }'.",
    ]);
  });
});

describe("the worker settings file (backie.worker.ts)", () => {
  const uses = `import { defineTask } from "RUNTIME";\nexport default defineTask({\n  name: "uses_app",\n  async run(p: { id: string }, ctx) {\n    await ctx.app.db.query(p.id);\n  },\n});\n`;
  const settings = (body: string) => `import { defineWorker } from "RUNTIME";\ndeclare module "RUNTIME" {\n  interface AppContext { db: { query(sql: string): Promise<void> } }\n}\n${body}`;

  it("must have a default export", () => {
    const { messages } = diagnose({ "usesApp.ts": uses }, { "backie.worker.ts": settings("export const x = defineWorker({});\n") });
    expect(messages).toEqual(["backie.worker.ts:1: no default export: the worker settings file must `export default defineWorker({...})`"]);
  });
  it("is type-checked, and its AppContext types ctx.app in tasks", () => {
    const body = "export default defineWorker({ app: { create: () => ({ db: { query: async (sql: number) => void sql } }) } });\n";
    const { messages } = diagnose({ "usesApp.ts": uses }, { "backie.worker.ts": settings(body) });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^backie\.worker\.ts:5: does not type-check: .*'sql' and 'sql' are incompatible/);
  });
  it("without it, ctx.app has no such member", () => {
    const { messages } = diagnose({ "usesApp.ts": uses });
    expect(messages).toEqual(["tasks/usesApp.ts:5: does not type-check: Property 'db' does not exist on type 'AppContext'."]);
  });
  it("is reported when backie.config.json names a file that is not there", () => {
    const { messages } = diagnose({ "a.ts": task('"a"') }, { "backie.config.json": JSON.stringify({ workerFile: "worker/settings.ts" }) });
    expect(messages).toEqual(["worker/settings.ts:0: worker settings file not found: create it, or remove workerFile from backie.config.json"]);
  });
});

describe("codegen refuses what the runtime would refuse", () => {
  const { messages } = diagnose({
    "fractional.ts": task('"fractional"', "{ id: string }", "\n  maxRetries: 2.5,"),
    "zeroTimeout.ts": task('"zero_timeout"', "{ id: string }", "\n  timeoutMs: 0,"),
    "hugeTimeout.ts": task('"huge_timeout"', "{ id: string }", "\n  timeoutMs: 3_000_000_000,"),
    "ctor.ts": task('"constructor"'),
    "spaced.ts": task('"has space"'),
    "badQueue.ts": task('"bad_queue"', "{ id: string }", '\n  queue: "   ",'),
  });
  const find = (pattern: RegExp) => messages.filter((m) => pattern.test(m));

  it("a fractional maxRetries, with file and line", () => {
    expect(find(/fractional/)).toEqual(["tasks/fractional.ts:4: `maxRetries` must be a whole number literal from 0 to 1000000 (such as 30_000 or 30 * 1000), got 2.5"]);
  });
  it("a timeoutMs of 0, and one beyond what a timer can hold", () => {
    expect(find(/zeroTimeout/)).toEqual(["tasks/zeroTimeout.ts:4: `timeoutMs` must be a number literal from 1 to 2147483647 (such as 30_000 or 30 * 1000), got 0"]);
    expect(find(/hugeTimeout/)).toHaveLength(1);
  });
  it("a task name every object already has, or one with spaces", () => {
    expect(find(/ctor/)).toEqual(['tasks/ctor.ts:3: task name "constructor" is reserved (a property every JavaScript object has): choose another']);
    expect(find(/spaced/)[0]).toMatch(/^tasks\/spaced\.ts:3: task name "has space" must start with a letter/);
  });
  it("a blank queue name", () => {
    expect(find(/badQueue/)).toEqual(["tasks/badQueue.ts:4: `queue` must be a non-empty string literal (codegen reads it without running your code)"]);
  });
  it("a task file in a subfolder, instead of skipping it", () => {
    const root = tempDir("codegen_nested");
    mkdirSync(path.join(root, "tasks", "billing"), { recursive: true });
    writeFileSync(path.join(root, "tasks", "ok.ts"), task('"ok"').replaceAll("RUNTIME", RUNTIME));
    writeFileSync(path.join(root, "tasks", "billing", "invoice.ts"), task('"invoice"').replaceAll("RUNTIME", RUNTIME));
    const messages = messagesOf(root);
    expect(messages).toEqual(["tasks/billing/invoice.ts:1: task files must be directly in tasks/ (subfolders are not read): move this file up, or out of tasks/ if it is not a task"]);
  });

  it("every problem of every file in one run, as tsc does: a misplaced file and a bad option together", () => {
    const root = tempDir("codegen_all");
    mkdirSync(path.join(root, "tasks", "billing"), { recursive: true });
    writeFileSync(path.join(root, "tasks", "retries.ts"), task('"retries"', "{ id: string }", "\n  maxRetries: 2.5,").replaceAll("RUNTIME", RUNTIME));
    writeFileSync(path.join(root, "tasks", "billing", "invoice.ts"), task('"invoice"').replaceAll("RUNTIME", RUNTIME));
    const messages = messagesOf(root);
    expect(messages).toHaveLength(2);
    expect(messages).toContain("tasks/billing/invoice.ts:1: task files must be directly in tasks/ (subfolders are not read): move this file up, or out of tasks/ if it is not a task");
    expect(messages.some((m) => m.startsWith("tasks/retries.ts:4: ") && m.includes("maxRetries"))).toBe(true);
  });
});

describe('"emit": "js"', () => {
  it("refuses a task file that imports a local module its transpiled copy could not reach", () => {
    const root = tempDir("codegen_js");
    mkdirSync(path.join(root, "tasks"));
    writeFileSync(path.join(root, "backie.config.json"), JSON.stringify({ emit: "js", runtimeImport: RUNTIME }));
    writeFileSync(path.join(root, "tasks", "helper.d.ts"), "export declare const x: number;\n");
    writeFileSync(path.join(root, "tasks", "uses.ts"), task('"uses_helper"').replaceAll("RUNTIME", RUNTIME).replace('import { defineTask }', 'import { x } from "./helper.js";\nvoid x;\nimport { defineTask }'));
    let messages: string[] = [];
    try {
      generate(loadConfig(root), { check: false });
    } catch (error) {
      if (!(error instanceof CodegenError)) throw error;
      messages = error.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`);
    }
    expect(messages).toEqual(['tasks/uses.ts:1: with "emit": "js", a task or settings file may import packages only (it imports "./helper.js"): its transpiled copy in generated/ could not reach it']);
  });
  it("refuses an emit other than ts or js", () => {
    const root = tempDir("codegen_emit");
    writeFileSync(path.join(root, "backie.config.json"), JSON.stringify({ emit: "python" }));
    expect(() => loadConfig(root)).toThrow('backie.config.json: option "emit" must be "ts" or "js", got "python"');
  });
});

describe("durable steps and signals", () => {
  it("refuses a step result or a signal payload that does not survive JSON, at the call's line", () => {
    const { messages } = diagnose({
      "steps.ts": `import { defineTask } from "RUNTIME";
class Receipt { constructor(readonly id: string) {} total(): number { return 1; } }
export default defineTask({
  name: "durable_bad",
  signals: { counted: {} as { seen: Set<string> } },
  async run(p: { id: string }, ctx) {
    await ctx.step("map", () => new Map<string, number>());
    await ctx.step("receipt", async () => new Receipt(p.id));
    await ctx.step("fine", async () => ({ at: new Date(), n: 1 }));
    await ctx.step("effect", () => { void p; });
  },
});
`,
    });
    expect(messages).toEqual([
      'tasks/steps.ts:5: task "durable_bad": signal "counted" payload $.seen: a Set is not JSON: use an array',
      'tasks/steps.ts:7: task "durable_bad": ctx.step "map" returns a value that does not survive JSON: a Map is not JSON: use Record<string, T> or an array of pairs (later runs get the stored JSON back)',
      expect.stringMatching(/^tasks\/steps\.ts:8: task "durable_bad": ctx\.step "receipt" returns .* that does not survive JSON: .*\(later runs get the stored JSON back\)$/),
    ]);
  });
});
