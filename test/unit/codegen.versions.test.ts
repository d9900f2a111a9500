/**
 * Payload versions as codegen decides them, release after release: a compatible change is a new
 * version without ceremony; a breaking one fails `backie gen` (and `backie check`) at the task's
 * file:line until the task file has its upgrade; an upgrade removed while its version may still be
 * stored fails again. The released manifest is a file here (`manifestBaseline`), as it would be
 * git HEAD's in a repository.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../codegen/config.js";
import { checkDeploy } from "../../codegen/deployCheck.js";
import { generate } from "../../codegen/generate.js";
import { CodegenError } from "../../codegen/model.js";
import { tempDir } from "../support/tempDir.js";

const RUNTIME = fileURLToPath(new URL("../../src/index.js", import.meta.url));

function project() {
  const root = tempDir("versions");
  mkdirSync(path.join(root, "tasks"));
  writeFileSync(path.join(root, "backie.config.json"), JSON.stringify({ manifestBaseline: "released.json" }));
  // Nothing released yet.
  writeFileSync(path.join(root, "released.json"), JSON.stringify({ generation: 0, tasks: [] }));
  const config = loadConfig(root, { runtimeImport: RUNTIME });
  return {
    write(text: string) {
      writeFileSync(path.join(root, "tasks", "greet.ts"), text.replaceAll("RUNTIME", RUNTIME));
    },
    gen() {
      try {
        generate(config, { check: false });
        return [];
      } catch (error) {
        if (!(error instanceof CodegenError)) throw error;
        return error.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`);
      }
    },
    /** A release: the generated manifest becomes the baseline. */
    release() {
      copyFileSync(path.join(root, "generated", "manifest.json"), path.join(root, "released.json"));
    },
    manifest: () => JSON.parse(readFileSync(path.join(root, "generated", "manifest.json"), "utf8")) as { generation: number; tasks: Array<{ version: number; versions: Array<{ version: number; change?: string }> }> },
    versionsTs: () => readFileSync(path.join(root, "generated", "versions.ts"), "utf8"),
    check: () => checkDeploy(config),
  };
}

const greet = (payload: string, extra = "") => `import { defineTask } from "RUNTIME";
export default defineTask({
  name: "greet",${extra}
  async run(payload: ${payload}) {
    void payload;
  },
});
`;

describe("payload versions across releases", () => {
  it("numbers versions, fails a breaking change without its upgrade at file:line, and accepts it with one", () => {
    const p = project();
    p.write(greet("{ to: string }"));
    expect(p.gen()).toEqual([]);
    expect(p.manifest().tasks[0]!.version).toBe(1);
    p.release();

    // Compatible: an optional field. A new version, no upgrade needed.
    p.write(greet("{ to: string; nickname?: string }"));
    expect(p.gen()).toEqual([]);
    expect(p.manifest().tasks[0]!.versions.map((v) => [v.version, v.change ?? null])).toEqual([[1, null], [2, "compatible"]]);
    expect(p.check().changes).toEqual([{ task: "greet", from: 1, to: 2, change: "compatible", upgraded: false }]);
    const generation = p.manifest().generation;
    p.release();

    // Regenerating without a change mints nothing.
    expect(p.gen()).toEqual([]);
    expect(p.manifest().tasks[0]!.version).toBe(2);
    expect(p.manifest().generation).toBe(generation);

    // Breaking: a new required field. gen fails at the task's line with the fix; check lists it.
    p.write(greet("{ to: string; nickname?: string; locale: \"en\" | \"de\" }"));
    const [problem, ...rest] = p.gen();
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^tasks\/greet\.ts:2: task "greet": payload version 3 breaks payloads of version 2 \(.*released\.json\): /);
    expect(problem).toContain("locale");
    expect(problem).toContain("upgrades: { 2: (old: GreetV2) =>");
    const checked = p.check();
    expect(checked.changes).toEqual([{ task: "greet", from: 2, to: 3, change: "breaking", upgraded: false }]);
    expect(checked.problems.map((d) => d.line)).toEqual([2]);

    // An upgrade whose types do not fit: taking less than a stored version-2 payload, returning
    // something that is not the new payload, or a promise.
    const bad = (fn: string) => greet("{ to: string; nickname?: string; locale: \"en\" | \"de\" }", `\n  upgrades: { 2: ${fn} },`);
    p.write(bad("(old: { to: string; nickname: string }) => ({ ...old, locale: \"en\" as const })"));
    expect(p.gen()).toEqual([expect.stringMatching(/^tasks\/greet\.ts:4: task "greet": upgrades\[2\] takes \{ to: string; nickname: string; \}, which does not accept every stored payload of version 2: type it `\(old: GreetV2\)`/)]);
    p.write(bad("(old: import(\"../generated/versions.js\").GreetV2) => ({ ...old, locale: \"fr\" })"));
    expect(p.gen()).toEqual([expect.stringMatching(/^tasks\/greet\.ts:4: task "greet": upgrades\[2\] returns .*locale: string.*, which is not the payload `run` takes$/)]);
    p.write(bad("async (old: import(\"../generated/versions.js\").GreetV2) => ({ ...old, locale: \"en\" as const })"));
    expect(p.gen()).toEqual([expect.stringMatching(/upgrades\[2\] returns Promise<.*>, which is not the payload `run` takes: an upgrade must not be async$/)]);

    // With the upgrade, typed by the generated GreetV2.
    p.write(greet("{ to: string; nickname?: string; locale: \"en\" | \"de\" }",
      `\n  upgrades: { 2: (old: import("../generated/versions.js").GreetV2) => ({ ...old, locale: "en" as const }) },`));
    expect(p.gen()).toEqual([]);
    expect(p.manifest().tasks[0]!.versions.map((v) => v.change ?? null)).toEqual([null, "compatible", "breaking"]);
    expect(p.versionsTs()).toContain("export type GreetV2 =");
    expect(p.check().problems).toEqual([]);
    p.release();

    // Removing the upgrade later: stored version-2 payloads would fail, so it is refused.
    p.write(greet("{ to: string; nickname?: string; locale: \"en\" | \"de\" }"));
    const removed = p.gen();
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatch(/^tasks\/greet\.ts:2: task "greet": payload version 3 broke payloads of version 2 .*`upgrades\[2\]` is gone/);

    // An upgrade of a compatible step is pointed out too.
    p.write(greet("{ to: string; nickname?: string; locale: \"en\" | \"de\" }",
      `\n  upgrades: { 1: (old: import("../generated/versions.js").GreetV1) => old, 2: (old: import("../generated/versions.js").GreetV2) => ({ ...old, locale: "en" as const }) },`));
    expect(p.gen()).toEqual([expect.stringMatching(/^tasks\/greet\.ts:4: task "greet": upgrades\[1\] upgrades no breaking change \(version 2 is compatible with 1\): remove it$/)]);
    // A dozen compiler runs: 15 s alone, more beside other test files.
  }, 120_000);

  it("records each signal's schema and tells a compatible, a breaking and a removed signal apart", () => {
    const p = project();
    const withSignal = (type: string) => greet("{ to: string }", `\n  signals: { approved: {} as ${type} },`);
    p.write(withSignal("{ by: string }"));
    expect(p.gen()).toEqual([]);
    expect(JSON.parse(JSON.stringify(p.manifest().tasks[0]))).toMatchObject({ signals: { approved: { hash: expect.stringMatching(/^[0-9a-f]{16}$/) } } });
    p.release();
    p.write(withSignal("{ by: string; note?: string }"));
    expect(p.check().signalChanges).toEqual([{ task: "greet", signal: "approved", change: "compatible" }]);
    p.write(withSignal("{ by: string; note: string }"));
    expect(p.check().signalChanges).toEqual([{ task: "greet", signal: "approved", change: "breaking" }]);
    p.write(greet("{ to: string }"));
    expect(p.check().signalChanges).toEqual([{ task: "greet", signal: "approved", change: "removed" }]);
    // The payload itself did not change: no new version for a signal's change.
    expect(p.check().changes).toEqual([]);
  });
});
