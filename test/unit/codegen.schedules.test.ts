import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../support/tempDir.js";
import { loadConfig } from "../../codegen/config.js";
import { generate } from "../../codegen/generate.js";
import { CodegenError } from "../../codegen/model.js";

const RUNTIME = fileURLToPath(new URL("../../src/index.js", import.meta.url));

/** Runs codegen on a throwaway project; returns its diagnostics, or the manifest when it succeeds. */
function gen(files: Record<string, string>): { messages: string[]; manifest?: { tasks: Array<{ name: string; schedules: unknown[] }> } } {
  const root = tempDir("codegen-schedules");
  mkdirSync(path.join(root, "tasks"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, "tasks", name), text.replaceAll("RUNTIME", RUNTIME));
  const config = loadConfig(root, { runtimeImport: RUNTIME });
  try {
    generate(config, { check: false });
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return { messages: error.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`) };
  }
  const manifest = JSON.parse(readFile(path.join(root, "generated", "manifest.json"))) as { tasks: Array<{ name: string; schedules: unknown[] }> };
  return { messages: [], manifest };
}

const readFile = (file: string): string => readFileSync(file, "utf8");

/** A task file whose schedules are `schedules` (source text), line 3 onwards. */
const task = (name: string, schedules: string, payload = "{ email: string; count?: number }") => `import { defineTask } from "RUNTIME";
export interface P {
  /** @format email */
  email: string;
  /** @minimum 1 */
  count?: number;
}
export default defineTask({
  name: "${name}",
  schedules: ${schedules},
  async run(payload: ${payload}) { void payload; },
});
`;

// Each codegen run builds a TypeScript program (seconds on a busy machine): one run for every
// problem codegen finds itself, one for the compiler's, one that succeeds.
const E_FILE = `import { defineTask } from "RUNTIME";\nconst cron = "0 3 * * *";\nexport default defineTask({\n  name: "e",\n  schedules: [{ cron, payload: {} }],\n  async run(p: { x?: number }) { void p; },\n});\n`;
const F_FILE = `import { defineTask } from "RUNTIME";\nconst list = [{ cron: "0 3 * * *" }];\nexport default defineTask({\n  name: "f",\n  schedules: list,\n  async run(p: { x?: number }) { void p; },\n});\n`;
let checked: string[] | undefined;
const codegenChecks = (): string[] => (checked ??= gen({
  "a.ts": task("a", `[
    { cron: "61 * * * *", payload: { email: "a@b.c" } },
    { cron: "0 3 * * *", tz: "Mars/Olympus_Mons", payload: { email: "a@b.c" } },
    { cron: "0 3 * * *", missed: "sometimes", payload: { email: "a@b.c" } } as never,
    { cron: "0 3 * * *", overlap: "never", payload: { email: "a@b.c" } } as never,
    { cron: "0 3 30 2 *", payload: { email: "a@b.c" } },
    { cron: "0 4 * * *", missed: "all", maxMissed: 0, payload: { email: "a@b.c" } },
  ]`),
  "c.ts": task("c", `[{ cron: "0 4 * * *", payload: { email: "not an address", count: 0 } }]`, "P"),
  "e.ts": E_FILE,
  "f.ts": F_FILE,
  "g.ts": task("g", `[{ id: "nightly", cron: "0 3 * * *", payload: { email: "a@b.c" } }]`),
  "h.ts": task("h", `[{ id: "nightly", cron: "0 4 * * *", payload: { email: "a@b.c" } }]`),
}).messages);

describe("codegen checks schedules at their line", () => {
  it("refuses an invalid cron expression, an unknown time zone, bad policies and a bad maxMissed", () => {
    expect(codegenChecks().filter((m) => m.startsWith("tasks/a.ts"))).toEqual([
      expect.stringMatching(/^tasks\/a\.ts:11: task "a": schedules\[0\]\.cron is not a valid cron expression: .*minute/),
      expect.stringMatching(/^tasks\/a\.ts:12: task "a": schedules\[1\]\.tz is not an IANA time zone/),
      'tasks/a.ts:13: task "a": schedules[2].missed must be "skip", "once" or "all", got "sometimes"',
      'tasks/a.ts:14: task "a": schedules[3].overlap must be "allow" or "skip", got "never"',
      'tasks/a.ts:15: task "a": schedules[4].cron has no occurrence from now on',
      'tasks/a.ts:16: task "a": schedules[5].maxMissed must be a whole number from 1 to 1000, got 0',
    ]);
  });

  it("refuses a literal payload the task's schema rejects (formats, ranges: what types cannot say)", () => {
    expect(codegenChecks().filter((m) => m.startsWith("tasks/c.ts"))).toEqual([
      'tasks/c.ts:10: task "c": schedules[0].payload does not match the task\'s payload schema: $.email must match format "email"; $.count must be >= 1',
    ]);
  });

  it("refuses options it cannot read without running the code", () => {
    expect(codegenChecks()).toContain('tasks/e.ts:5: task "e": schedules[0]: write each option as `key: value` (spreads and shorthands cannot be read by codegen)');
    expect(codegenChecks()).toContain('tasks/f.ts:5: task "f": `schedules` must be an array literal of object literals, so that `backie gen` can check each schedule');
  });

  it("refuses one schedule id used twice, across task files", () => {
    expect(codegenChecks().filter((m) => m.startsWith("tasks/h.ts"))).toEqual([
      'tasks/h.ts:10: duplicate schedule id "nightly": also declared in tasks/g.ts:10; give one of them its own `id`',
    ]);
  });

  it("refuses, through the compiler, a payload of the wrong type and a missing one the task needs", () => {
    const { messages } = gen({
      "b.ts": task("b", `[{ cron: "0 3 * * *", payload: { email: 42 } }]`, "P"),
      "d.ts": task("d", `[{ cron: "0 3 * * *" }]`, "P"),
    });
    expect(messages.find((m) => m.startsWith("tasks/b.ts"))).toMatch(/^tasks\/b\.ts:10: does not type-check: Type 'number' is not assignable to type 'string'/);
    expect(messages.find((m) => m.startsWith("tasks/d.ts"))).toMatch(/^tasks\/d\.ts:10: does not type-check: .*payload/);
  });

  it("writes valid schedules, with default ids, into the manifest", () => {
    const { messages, manifest } = gen({
      "i.ts": task("i", `[{ cron: "0 3 * * *", tz: "Europe/Berlin", payload: { email: "a@b.c" } }, { id: "hourly", cron: "0 * * * *", payload: { email: "a@b.c" }, missed: "all", maxMissed: 5 }]`),
      "j.ts": task("j", `[{ cron: "*/5 * * * * *" }]`, "{ x?: number }"),
    });
    expect(messages).toEqual([]);
    expect(manifest!.tasks.find((t) => t.name === "i")!.schedules).toEqual([
      { id: "i@0 3 * * * Europe/Berlin", cron: "0 3 * * *", tz: "Europe/Berlin", line: 10 },
      { id: "hourly", cron: "0 * * * *", tz: "UTC", line: 10 },
    ]);
    expect(manifest!.tasks.find((t) => t.name === "j")!.schedules).toEqual([{ id: "j@*/5 * * * * *", cron: "*/5 * * * * *", tz: "UTC", line: 10 }]);
  });
});
