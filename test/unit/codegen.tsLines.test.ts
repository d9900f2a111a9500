/**
 * Codegen type-checks with the TypeScript ts-morph bundles (6.0); a project may compile with 5.x,
 * whose defaults differ. `backie gen` must accept what the project's own tsc accepts, and no more.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { earlierLineDefaults, projectTypeScriptMajor } from "../../codegen/project.js";
import { messagesOf, RUNTIME } from "../support/codegen.js";
import { tempDir } from "../support/tempDir.js";


// Compiles under TypeScript 5's defaults (strict off), not under 6.0's (strict on).
const LOOSE_TASK = `import { defineTask } from "${RUNTIME}";
function echo(x) { return x; }
let label: string = null;
export default defineTask({ name: "loose", async run(p: { who: string }) { void echo(p.who); void label; } });
`;

/** A project whose installed TypeScript is `version`, with this tsconfig and task file. */
function project(version: string | undefined, compilerOptions: object, taskText = LOOSE_TASK): string {
  const root = tempDir("tslines");
  mkdirSync(path.join(root, "tasks"));
  writeFileSync(path.join(root, "tasks", "loose.ts"), taskText);
  writeFileSync(path.join(root, "tsconfig.json"), JSON.stringify({ compilerOptions }));
  writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "p", type: "module" }));
  if (version !== undefined) {
    mkdirSync(path.join(root, "node_modules", "typescript"), { recursive: true });
    writeFileSync(path.join(root, "node_modules", "typescript", "package.json"), JSON.stringify({ name: "typescript", version }));
  }
  return root;
}


// A tsconfig as many 5.x projects have it: a baseUrl for path aliases, strict left unset.
const FIVE_STYLE = { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", baseUrl: ".", skipLibCheck: true };

describe("codegen against the project's own TypeScript line", () => {
  it("accepts, for a project on TypeScript 5, what its tsc accepts: a baseUrl, strict unset", () => {
    expect(ts.versionMajorMinor.startsWith("6.")).toBe(true);
    expect(messagesOf(project("5.9.3", FIVE_STYLE))).toEqual([]);
  });

  it("still reports real type errors, and strict ones when the tsconfig asks for strict", () => {
    const wrong = `import { defineTask } from "${RUNTIME}";
function twice(n: number) { return n * 2; }
export default defineTask({ name: "wrong", async run(p: { who: string }) { void twice(p.who); } });
`;
    expect(messagesOf(project("5.9.3", FIVE_STYLE, wrong))).toEqual([
      "tasks/loose.ts:3: does not type-check: Argument of type 'string' is not assignable to parameter of type 'number'.",
    ]);
    const strict = messagesOf(project("5.9.3", { ...FIVE_STYLE, strict: true }));
    expect(strict.join("\n")).toMatch(/Parameter 'x' implicitly has an 'any' type/);
    expect(strict.join("\n")).toMatch(/Type 'null' is not assignable to type 'string'/);
  });

  it("checks a project on TypeScript 6 by 6.0's own rules, as its tsc does", () => {
    const six = messagesOf(project("6.0.2", FIVE_STYLE)).join("\n");
    expect(six).toMatch(/Option 'baseUrl' is deprecated/);
    expect(six).toMatch(/Parameter 'x' implicitly has an 'any' type/);
  });

  it("reads the project's TypeScript version from its own node_modules, or none", () => {
    expect(projectTypeScriptMajor(project("5.4.5", {}))).toBe(5);
    expect(projectTypeScriptMajor(project("6.0.2", {}))).toBe(6);
    expect(projectTypeScriptMajor(project(undefined, {}))).toBeUndefined();
    expect(projectTypeScriptMajor(project("not a version", {}))).toBeUndefined();
  });

  it("keeps every option the tsconfig sets, and changes nothing for 6 or without TypeScript", () => {
    const set = { strict: true, types: ["node"], target: ts.ScriptTarget.ES2022, noUncheckedSideEffectImports: true };
    expect(earlierLineDefaults(set, 5)).toEqual({ ignoreDeprecations: "6.0" });
    expect(earlierLineDefaults({}, 5)).toEqual({
      ignoreDeprecations: "6.0", strict: false, types: ["*"], noUncheckedSideEffectImports: false, target: ts.ScriptTarget.ES5,
    });
    expect(earlierLineDefaults({}, 6)).toEqual({});
    expect(earlierLineDefaults({}, 7)).toEqual({});
    expect(earlierLineDefaults({}, undefined)).toEqual({});
  });
});
