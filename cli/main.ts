#!/usr/bin/env node
/** The `backie` executable: runs the program with this process's arguments and sets the exit code. */
import { main } from "./program.js";

// The CLI owns the console: no multi-line runtime warnings between its one-line answers (pg warns
// about sslmode aliases on every connection).
process.removeAllListeners("warning");

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user's mistake: still one line, the stack only on request.
    const message = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error ? error.stack : undefined;
    console.error(`backie: internal error: ${message.split("\n")[0]}${process.env.BACKIE_DEBUG ? `\n${stack}` : " (set BACKIE_DEBUG=1 for the stack)"}`);
    process.exitCode = 70;
  },
);
