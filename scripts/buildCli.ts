/**
 * Lays out the `@backie/cli` package (packages/cli) from the compiled tree: dist/cli and
 * dist/codegen, with their imports of the runtime (`../src/index.js`) pointed at the `backie`
 * package, which the CLI depends on. Run by `npm run build` after tsc.
 */
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const OUT = "packages/cli/dist";
rmSync(OUT, { recursive: true, force: true });
for (const dir of ["cli", "codegen"]) cpSync(path.join("dist", dir), path.join(OUT, dir), { recursive: true });

const RUNTIME = /(["'])(?:\.\.\/)+src\/index\.js\1/g;
let rewritten = 0;
const walk = (dir: string): void => {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.(js|d\.ts)$/.test(name)) {
      const text = readFileSync(full, "utf8");
      if (/["'](?:\.\.\/)+src\//.test(text.replace(RUNTIME, ""))) {
        throw new Error(`${full} imports the runtime's insides: import from src/index.ts only`);
      }
      const next = text.replace(RUNTIME, '"backie"');
      if (next !== text) rewritten++;
      writeFileSync(full, next);
    }
  }
};
walk(OUT);
console.log(`build: ${OUT} laid out (${rewritten} files import "backie")`);
