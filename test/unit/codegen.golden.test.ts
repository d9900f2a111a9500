import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../codegen/config.js";
import { render } from "../../codegen/generate.js";
import { scanTasks } from "../../codegen/scanTasks.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/codegen/basic/", import.meta.url));
const config = loadConfig(FIXTURE, { outDir: "expected" });
const model = { tasks: scanTasks({ ...config, runtimeImport: "../../../../../src/index.js" }), runtimeImport: "../../../../../src/index.js" };
const files = render(model, config.tasksDir);

describe("codegen golden output (test/fixtures/codegen/basic)", () => {
  it("finds every task, sorted by name", () => {
    expect(model.tasks.map((t) => [t.name, t.ident, t.queue, t.maxRetries, t.timeoutMs])).toEqual([
      ["import_order", "importOrder", "orders", 5, 120_000],
      ["notify", "notify", "default", 3, null],
      ["walk_tree", "walkTree", "trees", 3, null],
    ]);
    expect(model.tasks[0]!.uniqueKeySource).toBe("(p) => `${p.body.id}`");
  });

  for (const [rel, text] of files) {
    it(`matches expected/${rel}`, () => {
      const file = path.join(FIXTURE, "expected", rel);
      if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
      expect(text).toBe(readFileSync(file, "utf8"));
    });
  }

  it("is deterministic", () => {
    const again = render({ tasks: scanTasks({ ...config, runtimeImport: model.runtimeImport }), runtimeImport: model.runtimeImport }, config.tasksDir);
    expect([...again.entries()]).toEqual([...files.entries()]);
  });
});
