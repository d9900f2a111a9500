import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { BackieError, createDashboard } from "../../src/index.js";
import { COMMON_HELP, COMMON_OPTIONS, intOption, openStore, printable, projectContext, readManifest } from "../context.js";
import type { Command } from "./command.js";

export const dashboard: Command = {
  name: "dashboard",
  summary: "serve the web dashboard (127.0.0.1:4000 by default; --read-only)",
  usage: `Usage: backie dashboard [--port N] [--host H] [--read-only] [--base-path /P]

Serves the dashboard: queues (pause, resume), tasks (filter, detail, retry, cancel, delete, bulk),
workers, schedules, live. Binds 127.0.0.1 unless told otherwise: it has no login of its own; put
it behind your own authentication (or mount createDashboard in your app with \`authorize\`).

Options:
  --port N              port (default 4000)
  --host H              address to bind (default 127.0.0.1)
  --read-only           show everything, change nothing (writes answer 405)
  --base-path /P        serve under this path (default /)
${COMMON_HELP}`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, port: { type: "string", default: "4000" }, host: { type: "string", default: "127.0.0.1" }, "read-only": { type: "boolean", default: false }, "base-path": { type: "string", default: "" } },
    });
    const port = intOption("--port", values.port, 0, 65_535);
    const basePath = values["base-path"] === "/" ? "" : values["base-path"];
    if (basePath !== "" && !/^\/[\w\-./~]*$/.test(basePath)) throw new BackieError(`--base-path must be a path such as /backie, got "${printable(basePath)}"`);
    const context = projectContext(values);
    let knownTasks: string[] | undefined;
    try {
      knownTasks = readManifest(context).map((t) => t.name);
    } catch {
      knownTasks = undefined; // outside a project: schedules are shown without "task known"
    }
    const store = openStore(values, context);
    await store.assertMigrated();
    const handler = createDashboard({ store, basePath, readOnly: values["read-only"], ...(knownTasks ? { knownTasks } : {}) });
    const server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) => reject(new BackieError(`cannot listen on ${values.host}:${port}: ${error.code ?? error.message}`)));
      server.listen(port, values.host, resolve);
    });
    const address = server.address();
    const actual = typeof address === "object" && address ? address.port : port;
    console.log(`backie dashboard on http://${values.host.includes(":") ? `[${values.host}]` : values.host}:${actual}${basePath || "/"}${values["read-only"] ? " (read-only)" : ""}`);
    const stop = (): void => {
      server.close();
      server.closeAllConnections();
      void store.close().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return -1;
  },
};
