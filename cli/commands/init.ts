import { parseArgs } from "node:util";
import { CONFIG_FILE } from "../../codegen/config.js";
import type { Command } from "./command.js";

export const init: Command = {
  name: "init",
  summary: "set up this npm project for Backie (tasks/, settings, tsconfig, scripts, generated/)",
  usage: `Usage: backie init [--root DIR] [--tasks DIR] [--out DIR]

Sets up an existing npm project, saying what it does line by line:
  ${CONFIG_FILE}, tasks/ with an example task (when it has none), backie.worker.ts,
  package.json "type": "module" and the scripts gen, migrate and worker,
  tsconfig.json with NodeNext modules that compiles tasks/, generated/ and backie.worker.ts,
  and generated/ (backie gen).
A file that exists is kept, a script of the same name is kept, and a second run changes nothing.

Options:
  --root DIR            project root (default: current folder)
  --tasks DIR, --out DIR  task and output folders (default: tasks/ and generated/)
  -h, --help            show this help`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { root: { type: "string" }, tasks: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } } });
    const { runInit } = await import("../init/init.js");
    return runInit({
      root: values.root ?? process.cwd(),
      tasksDir: values.tasks,
      outDir: values.out,
      print: (line) => console.log(line),
      // Loaded on demand: the compiler is heavy.
      generate: async (root) => (await import("../../codegen/cli.js")).runGen(["--root", root]),
    });
  },
};
