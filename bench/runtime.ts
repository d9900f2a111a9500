/**
 * The Backie runtime under test: the compiled package (`dist/`, as `npm run bench` builds it and
 * as users run it), or the TypeScript source when there is no build. Source run through tsx pays
 * for esbuild's name-keeping helpers on every closure: not what production runs.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

type Runtime = typeof import("../src/index.js");

const compiled = new URL("../dist/src/index.js", import.meta.url);
export const runtimeKind = existsSync(fileURLToPath(compiled)) ? "dist" : "source";
const runtime: Runtime = runtimeKind === "dist" ? ((await import(compiled.href)) as Runtime) : await import("../src/index.js");

export const { configureTelemetry, defineTask, enqueueFunction, PgTaskStore, WorkerPool } = runtime;
