/**
 * `backie init` on the projects people have: fresh from `npm init -y`, with a tsconfig full of
 * comments, with scripts of the same names, with CommonJS code, with broken files. What it writes
 * is checked file by file; a second run must change no byte. (The packed-package test runs init in
 * an empty project with the real packages installed, then a worker.)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runInit } from "../../cli/init/init.js";
import { tempDir } from "../support/tempDir.js";

// What `npm init -y` writes on npm 11.
const NPM_INIT = `{
  "name": "app",
  "version": "1.0.0",
  "description": "",
  "main": "index.js",
  "scripts": {
    "test": "echo \\"Error: no test specified\\" && exit 1"
  },
  "keywords": [],
  "author": "",
  "license": "ISC",
  "type": "commonjs"
}
`;

function project(files: Record<string, string>): string {
  const root = tempDir("init");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

async function init(root: string, generated = 0): Promise<{ status: number; lines: string[]; generatedIn: string[] }> {
  const lines: string[] = [];
  const generatedIn: string[] = [];
  const status = await runInit({ root, print: (l) => lines.push(...l.split("\n")), generate: async (r) => (generatedIn.push(r), generated) });
  return { status, lines, generatedIn };
}

function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[path.relative(root, full)] = readFileSync(full, "utf8");
    }
  };
  walk(root);
  return files;
}

describe("backie init", () => {
  it("sets up a project fresh from npm init -y, and a second run changes nothing", async () => {
    const root = project({ "package.json": NPM_INIT });
    const first = await init(root);
    expect(first.status).toBe(0);
    expect(first.lines.slice(1, 7)).toEqual([
      "  created   backie.config.json (where tasks and generated code live)",
      "  created   tasks/sayHello.ts (an example task: say_hello)",
      "  created   backie.worker.ts (worker settings: application context, concurrency per queue)",
      '  updated   package.json: "type": "module" (was "commonjs"; generated code is ES modules); scripts "gen", "migrate", "worker"',
      "  created   tsconfig.json (NodeNext modules, strict)",
      "  skipped   generated/: the backie package is not installed here",
    ]);
    expect(first.lines.join("\n")).toContain("npm install backie && npm install -D @backie/cli");
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg).toMatchObject({ type: "module", scripts: { test: expect.stringContaining("no test"), gen: "backie gen", migrate: "backie migrate", worker: "backie worker" }, license: "ISC" });
    expect(JSON.parse(readFileSync(path.join(root, "tsconfig.json"), "utf8"))).toMatchObject({
      compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true },
      include: ["tasks", "generated", "backie.worker.ts"],
    });

    const before = snapshot(root);
    const second = await init(root);
    expect(second.status).toBe(0);
    expect(snapshot(root)).toEqual(before);
    expect(second.lines.filter((l) => /^ {2}(created|updated)/.test(l))).toEqual([]);
    expect(second.lines).toContain("  kept      tasks/ (1 task file; no example added)");
  });

  it("runs backie gen when the runtime is installed, and stops with its status", async () => {
    const root = project({ "package.json": '{"type":"module"}', "node_modules/backie/package.json": '{"name":"backie"}' });
    const ok = await init(root);
    expect(ok.generatedIn).toEqual([root]);
    const failed = await init(root, 1);
    expect(failed.status).toBe(1);
    expect(failed.lines).toContain("  failed    generated/: backie gen stopped at the problems above");
  });

  it("edits a commented tsconfig in place: module settings, then the include, keeping every comment", async () => {
    const tsconfig = `{
  // Our old CommonJS build
  "compilerOptions": {
    "module": "CommonJS", /* to be replaced */
    "strict": true,
  },
  "include": ["src"], // only src so far
}
`;
    const root = project({ "package.json": '{"type":"module","dependencies":{"backie":"1"}}', "tsconfig.json": tsconfig, "src/app.ts": "export {};\n" });
    const { lines } = await init(root);
    const text = readFileSync(path.join(root, "tsconfig.json"), "utf8");
    expect(text).toContain("// Our old CommonJS build");
    expect(text).toContain("// only src so far");
    expect(text).toMatch(/"module": "NodeNext"/);
    expect(text).toMatch(/"moduleResolution": "NodeNext"/);
    expect(text).toMatch(/"include": \[\s*"src",\s*"tasks",\s*"generated",\s*"backie\.worker\.ts"\s*\]/);
    expect(lines).toContain('  updated   tsconfig.json: module and moduleResolution "NodeNext" (was CommonJS / Node10: generated imports need Node16/NodeNext or Bundler resolution)');
    // generated/ too, before it exists: the first `npm run gen` then needs no edit.
    expect(lines).toContain('  updated   tsconfig.json: include "tasks", "generated", "backie.worker.ts"');
    // The runtime is a dependency but not installed: init says to install, not to add it.
    expect(lines.join("\n")).toMatch(/^ {2}npm install {5}# then: npm run gen$/m);
  });

  it("leaves a Bundler project's module settings alone, and leaves an inherited include to the user", async () => {
    const root = project({
      "package.json": '{"type":"module"}',
      "tsconfig.base.json": '{"compilerOptions":{"module":"ESNext","moduleResolution":"Bundler"},"include":["../elsewhere"]}',
      "tsconfig.json": '{"extends":"./tsconfig.base.json"}\n',
    });
    const { lines, status } = await init(root);
    expect(status).toBe(0);
    expect(readFileSync(path.join(root, "tsconfig.json"), "utf8")).toBe('{"extends":"./tsconfig.base.json"}\n');
    expect(lines).toContain("  note      tsconfig.json does not compile tasks, generated, backie.worker.ts: add them to its include");
  });

  it("keeps the user's scripts of the same names and says how to run Backie's", async () => {
    const root = project({ "package.json": '{\n\t"type": "module",\n\t"scripts": {\n\t\t"worker": "node worker.mjs"\n\t}\n}\n' });
    const { lines } = await init(root);
    expect(lines).toContain('  kept      scripts.worker ("node worker.mjs"): run `npx backie worker` instead');
    const text = readFileSync(path.join(root, "package.json"), "utf8");
    expect(text).toContain('\t"scripts": {\n\t\t"worker": "node worker.mjs",\n\t\t"gen": "backie gen"');
  });

  it("edits a tsconfig saved with a byte-order mark, and keeps the mark", async () => {
    const root = project({ "package.json": '{"type":"module"}', "tsconfig.json": '\uFEFF{ "compilerOptions": { "module": "commonjs" }, "include": ["src"] }\n' });
    const { status } = await init(root);
    expect(status).toBe(0);
    const text = readFileSync(path.join(root, "tsconfig.json"), "utf8");
    expect(text.startsWith("\uFEFF{")).toBe(true);
    expect(JSON.parse(text.slice(1))).toMatchObject({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" }, include: ["src", "tasks", "generated", "backie.worker.ts"] });
  });

  it("keeps a byte-order mark and CRLF line ends in package.json", async () => {
    const root = project({ "package.json": '\uFEFF{\r\n  "name": "app"\r\n}\r\n' });
    await init(root);
    const text = readFileSync(path.join(root, "package.json"), "utf8");
    expect(text.startsWith('\uFEFF{\r\n  "name": "app",\r\n  "type": "module",')).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("adds no example to a project that has tasks, and honours --tasks and --out", async () => {
    const root = project({ "package.json": '{"type":"module"}', "jobs/mail.ts": "export {};\n" });
    const lines: string[] = [];
    await runInit({ root, tasksDir: "jobs", outDir: "src/gen", print: (l) => lines.push(l), generate: async () => 0 });
    expect(existsSync(path.join(root, "jobs", "sayHello.ts"))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(root, "backie.config.json"), "utf8"))).toEqual({ tasksDir: "jobs", outDir: "src/gen" });
    expect(lines.join("\n")).toContain("kept      jobs/ (1 task file; no example added)");
  });

  it("refuses task or output folders outside the project", async () => {
    const root = project({ "package.json": '{"type":"module"}' });
    const attempt = (tasksDir: string, outDir?: string) => runInit({ root, tasksDir, outDir, print: () => {}, generate: async () => 0 });
    await expect(attempt("../elsewhere")).rejects.toThrow('the tasks folder must be a folder inside the project, got "../elsewhere"');
    await expect(attempt("tasks", "/tmp/out")).rejects.toThrow('the output folder must be a folder inside the project, got "/tmp/out"');
    await expect(attempt(".")).rejects.toThrow("the tasks folder must be a folder inside the project");
    expect(readdirSync(root)).toEqual(["package.json"]);
  });

  it.each([
    ["no package.json", {}, /^no package\.json in .*: backie init sets up an npm project; run npm init -y first$/],
    ["a package.json that is not JSON", { "package.json": "{ name: app }" }, /^package\.json is not valid JSON \(.*\): fix it, then run backie init again$/],
    ["a package.json that is an array", { "package.json": "[]" }, /^package\.json must hold a JSON object$/],
    ["scripts that are not an object", { "package.json": '{"type":"module","scripts":"x"}' }, /^package\.json's "scripts" must be an object$/],
    ["CommonJS code that \"type\": \"module\" would break", { "package.json": NPM_INIT, "index.js": "module.exports = 1;\n", "lib/util.js": "" },
      /^package\.json's "type" is "commonjs" and the project has JavaScript files \(index\.js, lib\/util\.js\): Backie's generated code is ES modules; set "type": "module" once they are, then run backie init again$/],
    ["a tsconfig that does not parse", { "package.json": '{"type":"module"}', "tsconfig.json": '{"compilerOptions": {' }, /^tsconfig\.json does not parse \(at offset \d+\): fix it, then run backie init again$/],
    ["a tsconfig TypeScript rejects", { "package.json": '{"type":"module"}', "tsconfig.json": '{"compilerOptions":{"module":"ESNext","moduleResolution":"NodeNext"}}' }, /^tsconfig\.json: Option 'module' must be set to 'NodeNext' when option 'moduleResolution' is set to 'NodeNext'/],
  ])("refuses %s with one line, before writing anything", async (_name, files, message) => {
    const root = project(files);
    const before = snapshot(root);
    const error = await init(root).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain("\n");
    expect(snapshot(root)).toEqual(before);
  });
});
