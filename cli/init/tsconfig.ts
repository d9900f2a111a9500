/**
 * `backie init`'s edits of tsconfig.json. A tsconfig is JSON with comments: it is edited in place
 * (jsonc-parser, as VS Code does), so the user's comments and layout survive. What TypeScript
 * would compile is judged from the parsed configuration, `extends` included.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { applyEdits, modify, parse, type ParseError } from "jsonc-parser";
import { ts } from "ts-morph";
import { BackieError } from "../../src/index.js";
import { tsconfig } from "./templates.js";

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2 } };

export interface TsconfigEdit {
  text: string | undefined;
  created: boolean;
  changes: string[];
  /** What init could not settle itself, as advice. */
  advice: string[];
}

/**
 * Module settings under which generated imports (`./registry.js`, `"backie"`, package exports)
 * resolve: Node16/NodeNext or Bundler resolution.
 */
export function editModuleSettings(root: string, include: string[]): TsconfigEdit {
  const file = path.join(root, "tsconfig.json");
  if (!existsSync(file)) return { text: tsconfig(include), created: true, changes: [], advice: [] };
  const { bom, text: original } = readText(file);
  let text = original;
  checkSyntax(text);
  const options = parsed(root).options;
  const resolution = moduleResolution(options);
  const changes: string[] = [];
  if (![ts.ModuleResolutionKind.Node16, ts.ModuleResolutionKind.NodeNext, ts.ModuleResolutionKind.Bundler].includes(resolution)) {
    text = applyEdits(text, modify(text, ["compilerOptions", "module"], "NodeNext", FORMAT));
    text = applyEdits(text, modify(text, ["compilerOptions", "moduleResolution"], "NodeNext", FORMAT));
    changes.push(`module and moduleResolution "NodeNext" (was ${ts.ModuleKind[options.module ?? ts.ModuleKind.CommonJS]} / ${ts.ModuleResolutionKind[resolution]}: generated imports need Node16/NodeNext or Bundler resolution)`);
  }
  return { text: changes.length > 0 ? bom + text : undefined, created: false, changes, advice: [] };
}

/** Adds to `include` what TypeScript would not compile of `wanted` (files that exist by now). */
export function editInclude(root: string, wanted: string[]): TsconfigEdit {
  const file = path.join(root, "tsconfig.json");
  const { bom, text: original } = readText(file);
  let text = original;
  const parsedConfig = parsed(root);
  const compiled = new Set(parsedConfig.fileNames.map((f) => path.resolve(f)));
  const patterns = (parsedConfig.raw as { include?: unknown } | undefined)?.include;
  // A folder that does not exist yet (generated/ before the first gen) is judged by the patterns.
  const missing = wanted.filter((entry) => {
    const full = path.join(root, entry);
    return existsSync(full) ? !covers(compiled, full) : !patternCovers(patterns, entry);
  });
  if (missing.length === 0) return { text: undefined, created: false, changes: [], advice: [] };
  const config = parse(text) as { include?: unknown; files?: unknown } | undefined;
  const dirs = missing.map((m) => m.replace(/\/$/, ""));
  if (Array.isArray(config?.include) || Array.isArray(config?.files)) {
    const include = [...(Array.isArray(config?.include) ? (config.include as unknown[]) : []), ...dirs];
    text = applyEdits(text, modify(text, ["include"], include, FORMAT));
    return { text: bom + text, created: false, changes: [`include ${dirs.map((d) => `"${d}"`).join(", ")}`], advice: [] };
  }
  // The include comes from an extended file (or an exclude hides them): adding one here would replace it.
  return { text: undefined, created: false, changes: [], advice: [`tsconfig.json does not compile ${dirs.join(", ")}: add them to its include`] };
}

/** TypeScript's own default when moduleResolution is unset (its docs' "Default" column). */
function moduleResolution(options: ts.CompilerOptions): ts.ModuleResolutionKind {
  if (options.moduleResolution !== undefined) return options.moduleResolution;
  switch (options.module) {
    case ts.ModuleKind.Node16: return ts.ModuleResolutionKind.Node16;
    case ts.ModuleKind.NodeNext: return ts.ModuleResolutionKind.NodeNext;
    case ts.ModuleKind.Preserve: return ts.ModuleResolutionKind.Bundler;
    case ts.ModuleKind.AMD: case ts.ModuleKind.UMD: case ts.ModuleKind.System: case ts.ModuleKind.ES2015: return ts.ModuleResolutionKind.Classic;
    default: return ts.ModuleResolutionKind.Node10;
  }
}

/** Whether an include list (absent: everything) names `entry`, a folder under it, or everything. */
function patternCovers(include: unknown, entry: string): boolean {
  if (!Array.isArray(include)) return true;
  const target = entry.replace(/\/$/, "");
  return include.some((pattern) => {
    if (typeof pattern !== "string") return false;
    const p = pattern.replace(/^\.\//, "").replace(/\/$/, "");
    return p === "" || p === "." || p.startsWith("**") || p === target || target.startsWith(`${p}/`) || p === `${target}/**/*` || p.startsWith(`${target}/`);
  });
}

function covers(compiled: Set<string>, full: string): boolean {
  if (compiled.has(full)) return true;
  const prefix = full.endsWith(path.sep) ? full : full + path.sep;
  for (const f of compiled) if (f.startsWith(prefix)) return true;
  return false;
}

/** The file's text, and its byte-order mark (TypeScript reads past one): kept where it is, edits go to the text after it. */
function readText(file: string): { bom: string; text: string } {
  const raw = readFileSync(file, "utf8");
  const bom = raw.startsWith("\uFEFF") ? "\uFEFF" : "";
  return { bom, text: raw.slice(bom.length) };
}

function checkSyntax(text: string): void {
  const errors: ParseError[] = [];
  parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) throw new BackieError(`tsconfig.json does not parse (at offset ${errors[0]!.offset}): fix it, then run backie init again`);
}

function parsed(root: string): ts.ParsedCommandLine {
  const file = path.join(root, "tsconfig.json");
  const read = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
  if (read.error) throw new BackieError(`tsconfig.json: ${ts.flattenDiagnosticMessageText(read.error.messageText, " ")}`);
  const result = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, file);
  // "No inputs were found" is expected before init writes the task files; any other error is the user's to fix.
  // Option conflicts (moduleResolution Bundler under module CommonJS, ...) come from a program.
  const options = { ...result.options, noLib: true };
  const host = { ...ts.createCompilerHost(options), getCurrentDirectory: () => root };
  const conflicts = ts.createProgram({ rootNames: [], options, host }).getOptionsDiagnostics();
  const error = [...result.errors, ...conflicts].find((d) => d.code !== 18003);
  if (error) throw new BackieError(`tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, " ")}`);
  return result;
}
