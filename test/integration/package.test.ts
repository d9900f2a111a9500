import { execFile, execFileSync, spawn } from "node:child_process";
import { promisify } from "node:util";
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it, vi } from "vitest";
import { runGen } from "../../codegen/cli.js";
import { alive, descendants } from "../support/processes.js";
import { tempDir } from "../support/tempDir.js";
import { testDatabase } from "../support/db.js";

const execFileAsync = promisify(execFile);
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const HOOK = fileURLToPath(new URL("../support/recordModules.mjs", import.meta.url));
const db = await testDatabase("package");

/** Async, so that this file's tests (mostly waiting on npm and child processes) run side by side. */
/** Exit status and both streams, for commands whose failure output is the point. */
function spawnAsync(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

async function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    return (await execFileAsync(command, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}\n${e.stderr ?? ""}\n${e.message}`);
  }
}

function runSync(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}\n${e.stderr ?? ""}\n${e.message}`);
  }
}

// Two packages, as a user installs them: the runtime as a dependency, the tool as a dev dependency.
const packed = (() => {
  const work = tempDir("package");
  // One build for both packages (each one's prepack would build the whole tree again).
  runSync(REPO, "npm", ["run", "--silent", "build"]);
  runSync(REPO, "npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", work]);
  runSync(REPO, "npm", ["pack", "./packages/cli", "--silent", "--ignore-scripts", "--pack-destination", work]);
  return {
    work,
    tarball: readdirSync(work).find((f) => /^backie-\d/.test(f))!,
    cliTarball: readdirSync(work).find((f) => f.startsWith("backie-cli-"))!,
  };
})();

/** Runs a command until its output matches `done`, then SIGTERMs it; returns exit code, output and loaded modules. */
async function runUntil(cwd: string, args: string[], env: NodeJS.ProcessEnv, done: RegExp): Promise<{ code: number | null; output: string; modules: string[] }> {
  const child = spawn(process.execPath, ["--import", HOOK, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe", "pipe"] });
  let output = "";
  let modules = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (output += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (output += c));
  (child.stdio[3] as import("node:stream").Readable).setEncoding("utf8").on("data", (c: string) => (modules += c));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const until = Date.now() + 30_000;
  while (!done.test(output) && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  child.kill("SIGTERM");
  return { code: await exited, output, modules: modules.split("\n").filter(Boolean) };
}

/**
 * Starts a worker through a wrapper (npx, npm run) with JSON logs, waits for `text` in its output,
 * SIGTERMs the wrapper alone (as a terminal or a process manager does) and expects every process
 * below it gone within 20 s. Returns the output.
 */
async function wrappedUntil(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv, text: string): Promise<string> {
  const wrapper = spawn(command, args, { cwd, env: { ...process.env, ...env, BACKIE_LOG_FORMAT: "json" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  wrapper.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
  wrapper.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
  const until = Date.now() + 30_000;
  while (!output.includes(text) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const below = descendants(wrapper.pid!);
  wrapper.kill("SIGTERM");
  const gone = Date.now() + 20_000;
  while (below.some(alive) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
  expect(below.filter(alive), output).toEqual([]);
  return output;
}

const BUILD_TIME = /\/node_modules\/(@backie\/cli|@pgtyped|antlr4ts|ts-morph|@ts-morph|typescript|tsx|esbuild)\//;

it.concurrent("a plain JavaScript project (emit: js, no TypeScript build) enqueues from .js and runs node generated/worker.js", async () => {
  const { work, tarball, cliTarball } = packed;
  const project = path.join(work, "jsapp");
  mkdirSync(path.join(project, "tasks"), { recursive: true });
  writeFileSync(path.join(project, "package.json"), JSON.stringify({
    name: "backie-js-app", private: true, type: "module",
    dependencies: { backie: `file:../${tarball}` }, devDependencies: { "@backie/cli": `file:../${cliTarball}`, vitest: "4.1.12", jest: "30.2.0" },
  }));
  writeFileSync(path.join(project, "backie.config.json"), JSON.stringify({ emit: "js" }));
  // The task is TypeScript (its types are the payload's schema); nothing in the project compiles it.
  writeFileSync(path.join(project, "tasks", "hello.ts"), `import { defineTask } from "backie";
export default defineTask({
  name: "hello",
  async run(payload: { name: string; at: Date }) {
    console.log(\`hello \${payload.name} at \${payload.at.toISOString()}\`);
  },
});
`);
  writeFileSync(path.join(project, "app.js"), `import { enqueue, closeEnqueue } from "./generated/enqueue.js";
const { id } = await enqueue.hello({ name: "js", at: new Date("2026-01-01T00:00:00Z") });
console.log("enqueued", id);
try { await enqueue.hello({ nmae: "x" }); } catch (error) { console.log("refused:", error.message); }
await closeEnqueue();
`);
  await run(project, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]);
  expect(await run(project, "npx", ["backie", "gen"])).toContain("1 tasks");
  const env = { DATABASE_URL: db.url };
  await run(project, "npx", ["backie", "migrate"], env);
  const app = await run(project, process.execPath, ["app.js"], env);
  expect(app).toMatch(/^enqueued \d+\nrefused: invalid payload for task "hello": \$\.name is required; \$\.at is required; \$\.nmae is not a known property\n$/);
  const worker = await runUntil(project, ["generated/worker.js"], { ...env, BACKIE_LOG_FORMAT: "json" }, /hello js at 2026-01-01T00:00:00\.000Z/);
  expect(worker.code, worker.output).toBe(0);
  expect(worker.output).toContain("hello js at 2026-01-01T00:00:00.000Z");
  expect(worker.modules.some((m) => m.endsWith("/generated/tasks/hello.js"))).toBe(true);
  expect(worker.modules.filter((m) => BUILD_TIME.test(m))).toEqual([]);

  // The project's own tests, with backie/testing under node:test, vitest and Jest, as a user writes them.
  const kitTest = (runner: "node:test" | "vitest" | "jest") => `${{
    "node:test": 'import { after, test } from "node:test";',
    vitest: 'import { afterAll as after, test } from "vitest";',
    jest: 'import { afterAll as after, test } from "@jest/globals";',
  }[runner]}
import assert from "node:assert/strict";
import { createTestDatabase, createTestKit } from "backie/testing";
import { enqueue, closeEnqueue } from "./generated/enqueue.js";
import { registry } from "./generated/registry.js";

const db = await createTestDatabase();
process.env.DATABASE_URL = db.url;
const kit = createTestKit(db.store, registry);
after(async () => { await closeEnqueue(); await db.drop(); });

test("perform runs hello through the real path", async () => {
  const outcome = await kit.perform("hello", { name: "kit", at: new Date("2026-01-01T00:00:00Z") });
  assert.equal(outcome.outcome, "success");
  await assert.rejects(kit.perform("hello", { name: "kit" }), /invalid payload for task "hello": \\$\\.at is required/);
});

test("what the app enqueues is asserted and drained", async () => {
  await enqueue.hello({ name: "queued", at: new Date("2026-01-02T00:00:00Z") });
  const task = await kit.assertEnqueued("hello", { payload: { name: "queued" } });
  assert.equal(task.payload.at, "2026-01-02T00:00:00.000Z");
  const drained = await kit.drain();
  assert.equal(drained.success, 1);
  await kit.refuteEnqueued("hello");
});
`;
  writeFileSync(path.join(project, "hello.nodetest.mjs"), kitTest("node:test"));
  writeFileSync(path.join(project, "hello.test.mjs"), kitTest("vitest"));
  const tested = await run(project, process.execPath, ["--test", "--test-reporter=tap", "hello.nodetest.mjs"], env);
  expect(tested).toMatch(/# pass 2\n/);
  expect(tested).toMatch(/# fail 0\n/);
  const vitest = await run(project, "npx", ["vitest", "run", "hello.test.mjs"], { ...env, NO_COLOR: "1" });
  expect(vitest).toMatch(/Tests\s+2 passed/);
  // Jest runs ES modules with Node's VM modules flag (its documented way); it reports on stderr.
  writeFileSync(path.join(project, "hello.jest.mjs"), kitTest("jest"));
  const jest = await spawnAsync(process.execPath, ["--experimental-vm-modules", "node_modules/jest/bin/jest.js", "--testMatch", "**/hello.jest.mjs", "--ci"], {
    cwd: project, env: { ...process.env, ...env },
  });
  expect(jest.status, jest.stderr).toBe(0);
  expect(jest.stderr).toMatch(/Tests:\s+2 passed, 2 total/);

  // `backie worker` runs the same JavaScript copy: tsx never loads.
  await run(project, process.execPath, ["app.js"], env);
  const viaCli = await runUntil(project, [path.join("node_modules", "@backie", "cli", "dist", "cli", "main.js"), "worker"], { ...env, BACKIE_LOG_FORMAT: "json" }, /hello js at/);
  expect(viaCli.code, viaCli.output).toBe(0);
  expect(viaCli.output).toContain("hello js at 2026-01-01T00:00:00.000Z");
  expect(viaCli.modules.filter((m) => /\/node_modules\/(tsx|esbuild)\//.test(m))).toEqual([]);
}, 240_000);

it.concurrent("installs the packed runtime and CLI into a fresh project, generates, compiles and runs a worker", async () => {
  const { work, tarball, cliTarball } = packed;
  const project = path.join(work, "app");
  mkdirSync(path.join(project, "tasks"), { recursive: true });
  writeFileSync(path.join(project, "package.json"), JSON.stringify({
    name: "backie-user-app", private: true, type: "module",
    dependencies: { backie: `file:../${tarball}` },
    devDependencies: { "@backie/cli": `file:../${cliTarball}`, typescript: "5.9.3", "@types/node": "20.19.43" },
  }, null, 2));
  writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({
    // A project that compiles to dist/, as most do: the worker runs from there.
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: false, outDir: "dist", rootDir: ".", types: ["node"] },
    include: ["tasks", "generated", "app.ts", "backie.worker.ts"],
  }, null, 2));
  writeFileSync(path.join(project, "tasks", "greet.ts"), `import { defineTask } from "backie";

export interface Greet {
  /** @minLength 1 */
  name: string;
}

export default defineTask({
  name: "greet",
  queue: "greetings",
  async run(payload: Greet, ctx) {
    console.log(\`\${ctx.app.greeting} \${payload.name} from task \${ctx.task.id}\`);
    ctx.log.info("greeted", { name: payload.name });
    await ctx.enqueue.audit({ what: \`greeted \${payload.name}\` });
  },
});
`);
  writeFileSync(path.join(project, "tasks", "audit.ts"), `import { defineTask } from "backie";

export default defineTask({
  name: "audit",
  queue: "greetings",
  async run(payload: { what: string }) {
    console.log(\`audit: \${payload.what}\`);
  },
});
`);
  writeFileSync(path.join(project, "backie.worker.ts"), `import { defineWorker } from "backie";

declare module "backie" {
  interface AppContext {
    greeting: string;
  }
}

export default defineWorker({
  app: {
    create: () => (console.log("app: created"), { greeting: "hello" }),
    close: () => console.log("app: closed"),
  },
  queues: { greetings: { numWorkers: 3 } },
});
`);
  writeFileSync(path.join(project, "app.ts"), `import type { TaskContext } from "backie";
import { enqueue } from "./generated/enqueue.js";

declare const ctx: TaskContext;

export async function main(): Promise<void> {
  await enqueue.greet({ name: "Ada" });
  // @ts-expect-error a wrong field does not compile in the user's project either
  await enqueue.greet({ nmae: "Ada" });
  await ctx.enqueue.audit({ what: "typed inside tasks too" });
  // @ts-expect-error and so does a misspelt task on ctx.enqueue
  await ctx.enqueue.audt({ what: "x" });
}
`);
  await run(project, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]);
  // The guide ships with the package: every link of its README to docs/ resolves in node_modules.
  const installed = path.join(project, "node_modules", "backie");
  const docLinks = [...readFileSync(path.join(installed, "README.md"), "utf8").matchAll(/\]\((docs\/[^)#]+)/g)].map((m) => m[1]!);
  expect(docLinks.length).toBeGreaterThan(5);
  for (const link of docLinks) expect(existsSync(path.join(installed, link)), link).toBe(true);
  // The runtime's own install holds no build-time package.
  const runtimeDeps = Object.keys((JSON.parse(readFileSync(path.join(project, "node_modules", "backie", "package.json"), "utf8")) as { dependencies: object }).dependencies);
  expect(runtimeDeps.sort()).toEqual(["@types/pg", "ajv", "ajv-formats", "croner", "pg"]);
  expect(await run(project, "npx", ["backie", "gen"])).toContain("2 tasks");
  await run(project, "npx", ["tsc", "-p", "."]);
  const env = { DATABASE_URL: db.url };
  await run(project, "npx", ["backie", "migrate"], env);
  expect(await run(project, "npx", ["backie", "enqueue", "greet", '{"name":"packed"}'], env)).toMatch(/^task \d+ enqueued/);
  await expect(run(project, "npx", ["backie", "enqueue", "greet", '{"name":""}'], env)).rejects.toThrow(/\$\.name must NOT have fewer than 1 characters/);

  // `backie worker` must run the compiled dist/generated/worker.js (this line is only in dist/).
  appendFileSync(path.join(project, "dist", "backie.worker.js"), '\nconsole.log("compiled settings loaded");\n');
  const worker = spawn(path.join(project, "node_modules", ".bin", "backie"), ["worker"], { cwd: project, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  worker.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
  worker.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
  const exited = new Promise<number | null>((resolve) => worker.on("exit", resolve));
  const deadline = Date.now() + 30_000;
  while (!/succeeded audit#\d+/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  worker.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(output).toContain("hello packed from task");
  expect(output).toMatch(/succeeded greet#\d+/);
  expect(output).toContain("audit: greeted packed");
  // backie.worker.ts: its app context was created once, used by the task, closed on shutdown.
  expect(output.match(/app: created/g)).toHaveLength(1);
  expect(output).toMatch(/app: closed\n[^]*stopped/);
  expect(output).toContain("compiled settings loaded");
  // ctx.log reaches the entrypoint's logger by default, one JSON line naming the task.
  const logged = output.split("\n").filter((l) => l.includes('"msg":"greeted"')).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(logged[0]).toMatchObject({ level: "info", msg: "greeted", name: "packed", task: "greet", queue: "greetings", attempt: 1 });

  // And straight from the build output, as a container would start it: node dist/generated/worker.js.
  await run(project, "npx", ["backie", "enqueue", "greet", '{"name":"compiled"}'], env);
  // Recording every module it loads: none of the build-time packages may be among them.
  const direct = spawn(process.execPath, ["--import", HOOK, path.join("dist", "generated", "worker.js")], { cwd: project, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe", "pipe"] });
  let modules = "";
  (direct.stdio[3] as import("node:stream").Readable).setEncoding("utf8").on("data", (c: string) => (modules += c));
  let directOutput = "";
  direct.stdout!.setEncoding("utf8").on("data", (c: string) => (directOutput += c));
  direct.stderr!.setEncoding("utf8").on("data", (c: string) => (directOutput += c));
  const directExited = new Promise<number | null>((resolve) => direct.on("exit", resolve));
  const until = Date.now() + 30_000;
  while (!/audit: greeted compiled/.test(directOutput) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  direct.kill("SIGTERM");
  expect(await directExited, directOutput).toBe(0);
  expect(directOutput).toContain("hello compiled from task");

  // Through npx, which signals only its shell: the worker must notice and stop all the same.
  const npxOutput = await wrappedUntil(project, "npx", ["backie", "worker"], env, "started; queues");
  expect(npxOutput).toContain("shutting down gracefully");
  const loaded = modules.split("\n").filter(Boolean);
  expect(loaded.some((m) => m.includes("/node_modules/backie/dist/src/"))).toBe(true);
  expect(loaded.filter((m) => /\/node_modules\/(@backie\/cli|@pgtyped|antlr4ts|ts-morph|@ts-morph|typescript|tsx|esbuild)\//.test(m))).toEqual([]);
}, 240_000);

it.concurrent("backie init sets up a project fresh from npm init: generated, compiled, migrated, and its example task runs in npm run worker", async () => {
  const { work, tarball, cliTarball } = packed;
  const project = path.join(work, "fresh");
  mkdirSync(project);
  await run(project, "npm", ["init", "-y"]);
  // What `npm install backie && npm install -D @backie/cli typescript` writes, in one install.
  const pkg = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(path.join(project, "package.json"), JSON.stringify({
    ...pkg, dependencies: { backie: `file:../${tarball}` }, devDependencies: { "@backie/cli": `file:../${cliTarball}`, typescript: "5.9.3" },
  }, null, 2));
  await run(project, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]);
  const first = await run(project, "npx", ["backie", "init"]);
  expect(first).toContain("  created   tasks/sayHello.ts (an example task: say_hello)");
  expect(first).toContain("  created   tsconfig.json (NodeNext modules, strict)");
  expect(first).toMatch(/backie gen: 1 tasks, \d+ files updated in generated\//);
  const again = await run(project, "npx", ["backie", "init"]);
  expect(again).not.toMatch(/^ {2}(created|updated)/m);
  expect(again).toContain("backie gen: 1 tasks, 0 files updated in generated/");
  // The project compiles as set up, and the generated client is typed from the example.
  writeFileSync(path.join(project, "app.ts"), `import { enqueue } from "./generated/enqueue.js";
export const ok = () => enqueue.sayHello({ name: "typed" });
// @ts-expect-error the example's payload has a name, nothing else
export const wrong = () => enqueue.sayHello({ nmae: "typed" });
`);
  await run(project, "npx", ["tsc", "-p", ".", "--noEmit"]);

  const env = { DATABASE_URL: db.url };
  expect(await run(project, "npm", ["run", "--silent", "migrate"], env)).toMatch(/migrations: (applied|up to date)/);
  expect(await run(project, "npx", ["backie", "enqueue", "say_hello", '{"name":"init"}'], env)).toMatch(/^task \d+ enqueued/);
  const output = await wrappedUntil(project, "npm", ["run", "worker"], env, '"msg":"hello init"');
  const line = output.split("\n").find((l) => l.includes('"msg":"hello init"'));
  expect(line, output).toBeDefined();
  expect(JSON.parse(line!)).toMatchObject({ level: "info", msg: "hello init", task: "say_hello", attempt: 1 });
}, 240_000);

// An app that registers its own OpenTelemetry SDK, then enqueues: Backie's span and metric must
// reach that SDK. Both SDK lines: 3.x (API 1.10) and 2.x (API 1.9), as npm resolves them.
const OTEL_APP = `import { metrics, trace } from "@opentelemetry/api";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
const sdk = await import(process.env.SDK === "2" ? "@opentelemetry/sdk-trace-base" : "@opentelemetry/sdk-trace");
const Provider = sdk.TracerProvider ?? sdk.BasicTracerProvider;
const spans = new sdk.InMemorySpanExporter();
// 3.x takes { exporter }, 2.x the exporter itself.
const tracerProvider = new Provider({ spanProcessors: [new sdk.SimpleSpanProcessor(process.env.SDK === "2" ? spans : { exporter: spans })] });
trace.setGlobalTracerProvider(tracerProvider);
const reader = new PrometheusExporter({ preventServerStart: true });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
const { enqueue, closeEnqueue } = await import("./generated/enqueue.js");
await enqueue.otelHello({ name: "otel", at: new Date() });
await closeEnqueue();
await tracerProvider.forceFlush();
const { resourceMetrics } = await reader.collect();
const names = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
console.log(JSON.stringify({ spans: spans.getFinishedSpans().map((s) => s.name), metrics: names }));
`;

it.concurrent("reaches the app's own OpenTelemetry SDK, 3.x and 2.x lines alike, and says so when a second API copy cannot", async () => {
  const { work, tarball } = packed;
  const lines = {
    3: { "@opentelemetry/sdk-metrics": "^3", "@opentelemetry/exporter-prometheus": "^0.301.0", "@opentelemetry/sdk-trace": "^3" },
    2: { "@opentelemetry/sdk-metrics": "^2", "@opentelemetry/exporter-prometheus": "~0.223.0", "@opentelemetry/sdk-trace-base": "^2" },
  } as const;
  const env = { DATABASE_URL: db.url };
  for (const line of [3, 2] as const) {
    const project = path.join(work, `otel${line}`);
    mkdirSync(path.join(project, "tasks"), { recursive: true });
    writeFileSync(path.join(project, "package.json"), JSON.stringify({
      name: `otel-${line}`, private: true, type: "module",
      dependencies: { backie: `file:../${tarball}`, ...lines[line] },
    }));
    writeFileSync(path.join(project, "backie.config.json"), JSON.stringify({ emit: "js" }));
    writeFileSync(path.join(project, "tasks", "hello.ts"), 'import { defineTask } from "backie";\nexport default defineTask({ name: "otel_hello", async run(p: { name: string; at: Date }) { console.log(p.name); } });\n');
    writeFileSync(path.join(project, "app.mjs"), OTEL_APP);
    // No ERESOLVE, no --legacy-peer-deps: Backie's peers accept either line.
    await run(project, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]);
    // One API copy, the SDK line's, shared by the app and Backie.
    const api = JSON.parse(readFileSync(path.join(project, "node_modules", "@opentelemetry", "api", "package.json"), "utf8")) as { version: string };
    expect(api.version).toMatch(line === 3 ? /^1\.10\./ : /^1\.9\./);
    expect(existsSync(path.join(project, "node_modules", "backie", "node_modules", "@opentelemetry", "api"))).toBe(false);
    // The generator of this checkout (the CLI package's own is tested above): JavaScript output.
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(runGen(["--root", project])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const out = JSON.parse(await run(project, process.execPath, ["app.mjs"], { ...env, SDK: String(line) })) as { spans: string[]; metrics: string[] };
    expect(out.spans, `SDK ${line}`).toContain("backie.enqueue");
    expect(out.metrics, `SDK ${line}`).toContain("backie.tasks.enqueued");
  }

  // What the issue saw: Backie with an API copy of its own, newer than the one the app registered
  // through. The copy cannot see the app's SDK; it says so once instead of staying silent.
  const project = path.join(work, "otel2");
  cpSync(path.join(REPO, "node_modules", "@opentelemetry", "api"), path.join(project, "node_modules", "backie", "node_modules", "@opentelemetry", "api"), { recursive: true });
  const child = await spawnAsync(process.execPath, ["app.mjs"], { cwd: project, env: { ...process.env, ...env, SDK: "2" } });
  expect(child.status, child.stderr).toBe(0);
  const warnings = child.stderr.split("\n").filter((l) => l.includes("BACKIE_OTEL_API"));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/\[BACKIE_OTEL_API\] Warning: OpenTelemetry: the app registered its tracer and meter provider through @opentelemetry\/api 1\.9\.\d+, which Backie's copy \(1\.10\.0\) ignores: no Backie span or metric is recorded\. Install one @opentelemetry\/api/);
  expect(JSON.parse(child.stdout)).toEqual({ spans: [], metrics: [] });
}, 240_000);
