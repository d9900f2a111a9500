import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Project, ts } from "ts-morph";

// ts-morph does not give source files their package.json module format (dsherret/ts-morph#1446),
// so under NodeNext every file reads as CommonJS. Bundler resolution resolves the same imports
// (`./x.js` to `./x.ts`, package `exports`) without needing that format.
const RESOLUTION = {
  noEmit: true,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
};

/** The TypeScript codegen checks with: the one ts-morph bundles. */
const BUNDLED_MAJOR = Number.parseInt(ts.versionMajorMinor, 10);

/**
 * The project that type-checks the task files: the root's tsconfig.json (its files are not
 * added: only task files are read), or strict defaults without one.
 */
export function createProject(root: string): Project {
  const tsConfigFilePath = path.join(root, "tsconfig.json");
  if (!existsSync(tsConfigFilePath)) {
    return new Project({ compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022, skipLibCheck: true, ...RESOLUTION } });
  }
  const project = new Project({ tsConfigFilePath, skipAddingFilesFromTsConfig: true, compilerOptions: RESOLUTION });
  const compat = earlierLineDefaults(project.compilerOptions.get(), projectTypeScriptMajor(root));
  if (Object.keys(compat).length > 0) project.compilerOptions.set(compat);
  return project;
}

/**
 * The major version of the TypeScript the project compiles with (its own `typescript`
 * package), or undefined when it has none.
 */
export function projectTypeScriptMajor(root: string): number | undefined {
  try {
    const manifest = createRequire(path.join(root, "package.json")).resolve("typescript/package.json");
    const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown };
    const major = typeof version === "string" ? Number.parseInt(version, 10) : Number.NaN;
    return Number.isInteger(major) ? major : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Options for a project on TypeScript 5 checked by the bundled 6.0, so that `backie gen` accepts
 * what the project's own tsc does. 6.0 made `strict`, `types: []` (no automatic `@types`) and
 * `noUncheckedSideEffectImports` the defaults, dropped ES5 as the default target, and reports
 * options 5.x takes without a word (`baseUrl`, `target: "ES5"`, ...) as deprecated: a tsconfig
 * without `strict`, or with a `baseUrl`, failed codegen while tsc compiled it. Options the
 * tsconfig sets stay as they are; the rest get 5.x's defaults. Nothing changes for a project on
 * 6 or later, or without TypeScript of its own.
 */
export function earlierLineDefaults(set: ts.CompilerOptions, projectMajor: number | undefined): ts.CompilerOptions {
  if (BUNDLED_MAJOR !== 6 || projectMajor === undefined || projectMajor >= 6) return {};
  return {
    ignoreDeprecations: "6.0",
    ...(set.strict === undefined ? { strict: false } : {}),
    ...(set.types === undefined ? { types: ["*"] } : {}),
    ...(set.noUncheckedSideEffectImports === undefined ? { noUncheckedSideEffectImports: false } : {}),
    ...(set.target === undefined ? { target: ts.ScriptTarget.ES5 } : {}),
  };
}
