#!/usr/bin/env node
/**
 * The `backie` command. Owns the console and the exit code: user mistakes print one line and
 * exit 1; only unexpected errors (bugs) print a stack.
 */
import { BackieError } from "../src/index.js";
import { cancel, failed, retry, running, status } from "./commands/admin.js";
import type { Command } from "./commands/command.js";
import { enqueue, gen, migrate, worker } from "./commands/run.js";

const COMMANDS: Command[] = [gen, migrate, worker, enqueue, status, running, failed, retry, cancel];

const USAGE = `Usage: backie <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join("\n")}

Run \`backie <command> --help\` for a command's options.`;

/** Errors a user can cause or fix, as one line; undefined for bugs. */
function userMessage(error: unknown): string | undefined {
  if (error instanceof BackieError) return error.message;
  const e = error as { code?: string; message?: string; name?: string };
  if (typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS")) return `${e.message} (see --help)`;
  switch (e.code) {
    case "ECONNREFUSED":
      return `cannot reach the database (${e.message}): is PostgreSQL running, and is DATABASE_URL right?`;
    case "ENOTFOUND":
      return `cannot resolve the database host (${e.message}): check DATABASE_URL`;
    case "3D000":
      return `${e.message}: create it, or point DATABASE_URL at an existing database`;
    case "28P01":
    case "28000":
      return `the database refused the login (${e.message}): check the user and password in DATABASE_URL`;
    case "42P01":
      return `${e.message}: run \`backie migrate\` first`;
    default:
      return undefined;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(USAGE);
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`backie: unknown command "${name}"\n\n${USAGE}`);
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
    console.error(`backie ${name}: ${message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 70;
  },
);
