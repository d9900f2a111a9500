/**
 * The `backie` command. Owns the console and the exit code: user mistakes print one line and
 * exit 1; unexpected errors (bugs) reach cli/main.ts, which prints one line and exits 70.
 */
import { BackieError, describeDatabaseError } from "../src/index.js";
import { packageVersion } from "../codegen/packageVersion.js";
import { printable } from "./context.js";
import { cancel, failed, retry, running, status } from "./commands/admin.js";
import { show } from "./commands/show.js";
import { check } from "./commands/check.js";
import { signal } from "./commands/signal.js";
import type { Command } from "./commands/command.js";
import { enqueue, gen, migrate, worker } from "./commands/run.js";
import { schedules } from "./commands/schedules.js";
import { bulk, pause, resume, workers } from "./commands/control.js";
import { dashboard } from "./commands/dashboard.js";
import { init } from "./commands/init.js";

const COMMANDS: Command[] = [init, gen, check, migrate, worker, enqueue, signal, status, show, running, failed, retry, cancel, bulk, pause, resume, workers, schedules, dashboard];

const USAGE = `Usage: backie <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join("\n")}

Run \`backie <command> --help\` for a command's options, \`backie --version\` for the version.`;

/** Errors a user can cause or fix, as one line; undefined for bugs. */
function userMessage(error: unknown): string | undefined {
  if (error instanceof BackieError) return error.message;
  const e = error as { code?: string; message?: string; name?: string };
  if (typeof e?.code === "string" && e.code.startsWith("ERR_PARSE_ARGS")) return `${e.message} (see --help)`;
  return describeDatabaseError(error);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(USAGE);
    return name === undefined ? 1 : 0;
  }
  if (name === "--version" || name === "-v" || name === "version" || rest.includes("--version")) {
    console.log(`backie ${packageVersion()}`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`backie: unknown command "${printable(name)}"\n\n${USAGE}`);
    return 1;
  }
  if (command.usage !== "" && (rest.includes("--help") || rest.includes("-h"))) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    const message = userMessage(error);
    if (message === undefined) throw error;
    console.error(`backie ${name}: ${message.split("\n")[0]}`);
    return 1;
  }
}

