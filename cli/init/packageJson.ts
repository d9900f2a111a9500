/**
 * `backie init`'s edits of package.json: `"type": "module"` (generated code is ES modules) and the
 * scripts. A script the user already has under one of those names is kept and reported, never
 * replaced. The file is rewritten with its own indentation; nothing else in it changes.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { BackieError } from "../../src/index.js";
import { SCRIPTS } from "./templates.js";

export interface PackageEdit {
  /** The new text, or undefined when nothing changes. */
  text: string | undefined;
  changes: string[];
  kept: string[];
  /** Whether `backie` is a dependency of the project (else init says to install it). */
  hasRuntime: boolean;
}

type PackageJson = Record<string, unknown> & { type?: unknown; scripts?: unknown; dependencies?: unknown; devDependencies?: unknown };

export function editPackageJson(root: string): PackageEdit {
  const file = path.join(root, "package.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new BackieError(`no package.json in ${root}: backie init sets up an npm project; run npm init -y first`);
  }
  // Editors on Windows may save a byte-order mark: kept, and not taken for bad JSON.
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  text = text.slice(bom.length);
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(text) as PackageJson;
  } catch (error) {
    throw new BackieError(`package.json is not valid JSON (${(error as Error).message.split("\n")[0]}): fix it, then run backie init again`);
  }
  if (pkg === null || typeof pkg !== "object" || Array.isArray(pkg)) throw new BackieError("package.json must hold a JSON object");
  const changes: string[] = [];
  const kept: string[] = [];

  if (pkg.type !== "module") {
    const scripts = javascriptFiles(root);
    if (scripts.length > 0) {
      throw new BackieError(
        `package.json's "type" is ${pkg.type === undefined ? "unset (CommonJS)" : JSON.stringify(pkg.type)} and the project has JavaScript files (${scripts.slice(0, 3).join(", ")}): ` +
          'Backie\'s generated code is ES modules; set "type": "module" once they are, then run backie init again',
      );
    }
    changes.push(`"type": "module" (was ${pkg.type === undefined ? "unset" : JSON.stringify(pkg.type)}; generated code is ES modules)`);
    pkg.type = "module";
  }

  if (pkg.scripts !== undefined && (pkg.scripts === null || typeof pkg.scripts !== "object" || Array.isArray(pkg.scripts))) {
    throw new BackieError('package.json\'s "scripts" must be an object');
  }
  const scripts = { ...(pkg.scripts as Record<string, unknown> | undefined) };
  const added: string[] = [];
  for (const [name, command] of Object.entries(SCRIPTS)) {
    if (scripts[name] === undefined) {
      scripts[name] = command;
      added.push(name);
    } else if (scripts[name] !== command) {
      kept.push(`scripts.${name} (${JSON.stringify(scripts[name])}): run \`npx ${command}\` instead`);
    }
  }
  if (added.length > 0) {
    pkg.scripts = scripts;
    changes.push(`scripts ${added.map((n) => `"${n}"`).join(", ")}`);
  }

  const deps = { ...(pkg.dependencies as object | undefined), ...(pkg.devDependencies as object | undefined) };
  return { text: changes.length > 0 ? bom + reformat(text, pkg) : undefined, changes, kept, hasRuntime: "backie" in deps };
}

/** The object in the file's own indentation and line ending. */
function reformat(original: string, pkg: PackageJson): string {
  const indent = /^[ \t]+(?=")/m.exec(original)?.[0] ?? "  ";
  const eol = original.includes("\r\n") ? "\r\n" : "\n";
  return JSON.stringify(pkg, null, indent).replace(/\n/g, eol) + eol;
}

const SKIP = new Set(["node_modules", "dist", "build", "generated", "coverage"]);

/** `.js` files at the root and one folder down: code that `"type": "module"` would reinterpret. */
function javascriptFiles(root: string): string[] {
  const found: string[] = [];
  const scan = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || SKIP.has(entry.name)) continue;
      if (entry.isDirectory() && depth === 0) scan(path.join(dir, entry.name), 1);
      else if (entry.isFile() && entry.name.endsWith(".js")) found.push(path.relative(root, path.join(dir, entry.name)));
    }
  };
  scan(root, 0);
  return found.sort();
}
