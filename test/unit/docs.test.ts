/**
 * Doc tests: every TypeScript block of README.md and docs/*.md compiles, against the demo's tasks
 * (tasks/, generated/) and the runtime's public API ("backie", "backie/testing"), with the
 * compiler options of this repository. A renamed option cannot leave a stale example: the block
 * that uses it stops compiling here, with its page and line. Every JSON block parses, and every
 * relative link and anchor points at something that exists.
 *
 * Blocks are written into .doctest/ (see below), where generated/ re-exports the demo's. The
 * names an example takes from the reader's own code (a payments client, a pg pool, ...) are
 * declared in .doctest/globals.d.ts below; everything else comes from imports the block shows.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const DIR = path.join(REPO, ".doctest");
const PAGES = ["README.md", ...readdirSync(path.join(REPO, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];

// What the examples take from the reader's application, by name.
const GLOBALS = `
declare const payments: {
  charge(orderId: string, amountCents: number): Promise<{ id: string }>;
  refund(chargeId: string): Promise<void>;
};
declare const shipping: { create(orderId: string, chargeId: string): Promise<{ trackingId: string }> };
declare const pool: import("pg").Pool;
declare function isAdmin(req: import("express").Request | import("node:http").IncomingMessage): boolean;
declare function signUp(client: ReturnType<typeof import("./generated/enqueue.js").createEnqueue>, email: string): Promise<void>;
declare function readRows(file: string): Promise<string[]>;
declare function buildReport(accountId: string, signal: AbortSignal): Promise<string>;
declare function countWordsIn(text: string): number;
`;

// Modules the examples import from the reader's project.
const SUPPORT: Record<string, string> = {
  // docs/workers.md's backie.worker.ts imports its mailer client.
  // (the demo's own, so that AppContext's augmentations agree).
  "src/mailer.ts": 'export { Mailer } from "../../../backie.worker.js";\n',
  // A test beside the project's root imports the demo's mailer.
  "backie.worker.ts": 'export * from "../../backie.worker.js";\n',
};

interface Block { page: string; line: number; lang: string; code: string }

function blocks(page: string): Block[] {
  const lines = readFileSync(path.join(REPO, page), "utf8").split("\n");
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !lines[i]!.startsWith("```")) body.push(lines[i]!);
    found.push({ page, line: start + 1, lang: open[1]!, code: body.join("\n") });
  }
  return found;
}

const ALL = PAGES.flatMap(blocks);
const TS = ALL.filter((b) => b.lang === "ts" || b.lang === "typescript");

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

function compilerOptions(): ts.CompilerOptions {
  const read = ts.readConfigFile(path.join(REPO, "tsconfig.json"), (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(read.config, ts.sys, REPO);
  return {
    ...options,
    noEmit: true,
    // The package's own names, as a user's project resolves them once backie is installed.
    baseUrl: REPO,
    paths: { backie: ["src/index.ts"], "backie/testing": ["src/testing/index.ts"] },
    noUnusedLocals: false,
  };
}

/** Compiler messages of the given blocks' files, as "page:line: message". */
function check(files: Map<string, Block>, extraRoots: string[]): string[] {
  const program = ts.createProgram({ rootNames: [...files.keys(), path.join(DIR, "globals.d.ts"), ...extraRoots], options: compilerOptions() });
  // Only the blocks' own messages: a file they import is checked by its own tests.
  const problems: string[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName;
    const block = file === undefined ? undefined : files.get(path.resolve(file));
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    if (!block) {
      if (file === undefined || file.startsWith(DIR)) problems.push(`${file ? path.relative(REPO, file) : "(options)"}: ${message}`);
      continue;
    }
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    problems.push(`${block.page}:${block.line + 1 + line}: ${message}`);
  }
  return problems;
}

/** `export * from` the demo's generated modules, so that "./generated/x.js" resolves from `dir`. */
function generatedShims(dir: string): void {
  mkdirSync(path.join(dir, "generated"), { recursive: true });
  for (const name of readdirSync(path.join(REPO, "generated")).filter((f) => f.endsWith(".ts"))) {
    const target = path.relative(path.join(dir, "generated"), path.join(REPO, "generated", name)).replace(/\.ts$/, ".js");
    writeFileSync(path.join(dir, "generated", name), `export * from ${JSON.stringify(target)};\n${name === "versions.ts" ? VERSIONS : ""}`);
  }
}

// docs/deploys.md shows the demo after a breaking change to send_welcome_email: backie gen would
// then write its version-1 type into generated/versions.ts.
const VERSIONS = "export interface SendWelcomeEmailV1 { to: string; name: string }\n";

it("every TypeScript block of the README and docs/ compiles", () => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(path.join(DIR, "globals.d.ts"), GLOBALS);
  generatedShims(DIR);

  // Each page is a folder of its own. A block whose first line names a file ("// tasks/x.ts",
  // "// backie.worker.ts") is that file, so blocks of one page import each other as they say;
  // the others are modules of their own. A block that augments AppContext is a program of its
  // own (augmentations from several examples would contradict each other); the rest share one,
  // with the demo's own backie.worker.ts (ctx.app.mailer).
  const shared = new Map<string, Block>();
  const own: Map<string, Block>[] = [];
  const taken = new Set<string>();
  TS.forEach((block) => {
    const pageDir = path.join(DIR, path.basename(block.page, ".md"));
    if (!taken.has(pageDir)) {
      generatedShims(pageDir);
      for (const [name, text] of Object.entries(SUPPORT)) {
        mkdirSync(path.dirname(path.join(pageDir, name)), { recursive: true });
        writeFileSync(path.join(pageDir, name), text);
      }
    }
    const named = /^\/\/ ((?:[\w.-]+\/)*[\w.-]+\.ts)\b/.exec(block.code)?.[1];
    const file = path.join(pageDir, named ?? `block_${block.line}.ts`);
    expect(taken.has(file), `${block.page}:${block.line} names ${named} a second time`).toBe(false);
    taken.add(file);
    taken.add(pageDir);
    mkdirSync(path.dirname(file), { recursive: true });
    // Every block is a module, so that names do not collide between blocks.
    writeFileSync(file, `${block.code}\nexport {};\n`);
    if (/declare module "backie"/.test(block.code)) own.push(new Map([[file, block]]));
    else shared.set(file, block);
  });
  const problems = [
    ...check(shared, [path.join(REPO, "backie.worker.ts")]),
    ...own.flatMap((files) => check(files, [])),
  ];
  expect(problems).toEqual([]);
  expect(TS.length).toBeGreaterThan(20);
}, 120_000);

it("every JSON block parses", () => {
  const json = ALL.filter((b) => b.lang === "json");
  expect(json.length).toBeGreaterThan(0);
  for (const block of json) expect(() => JSON.parse(block.code), `${block.page}:${block.line}`).not.toThrow();
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

it("every relative link and anchor of the README and docs/ resolves", () => {
  const anchors = new Map<string, Set<string>>();
  for (const page of PAGES) {
    const text = readFileSync(path.join(REPO, page), "utf8").replace(/^```[^]*?^```/gm, "");
    anchors.set(page, new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!))));
  }
  const broken: string[] = [];
  for (const page of PAGES) {
    const text = readFileSync(path.join(REPO, page), "utf8").replace(/^```[^]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [file, anchor] = target!.split("#") as [string, string | undefined];
      const resolved = file === "" ? page : path.relative(REPO, path.resolve(REPO, path.dirname(page), file));
      let exists = true;
      try {
        readFileSync(path.join(REPO, resolved));
      } catch {
        exists = false;
      }
      if (!exists) broken.push(`${page}: ${target} (no file ${resolved})`);
      else if (anchor !== undefined && resolved.endsWith(".md") && !anchors.get(resolved)?.has(anchor)) broken.push(`${page}: ${target} (no heading #${anchor} in ${resolved})`);
    }
  }
  expect(broken).toEqual([]);
});
