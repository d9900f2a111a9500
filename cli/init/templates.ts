/** What `backie init` writes into a project that lacks it. Each text compiles as written (test/integration/init.test.ts). */

export const EXAMPLE_TASK_FILE = "sayHello.ts";

export const EXAMPLE_TASK = `import { defineTask } from "backie";

/** The payload. Its type is the schema: every enqueue is checked against it before it is stored. */
export interface SayHello {
  /** @minLength 1 @maxLength 100 */
  name: string;
}

export default defineTask({
  name: "say_hello",   // stored with every task: keep it stable once tasks are enqueued
  maxRetries: 3,
  async run(payload: SayHello, ctx) {
    ctx.log.info(\`hello \${payload.name}\`, { attempt: ctx.task.attempt });
  },
});
`;

export const WORKER_SETTINGS = `import { defineWorker } from "backie";

// Every task gets ctx.app: declare what it holds here, and create it once per worker below.
// declare module "backie" {
//   interface AppContext { db: import("pg").Pool }
// }

export default defineWorker({
  // app: { create: () => ({ db: new Pool() }), close: (app) => app.db.end() },
  queues: {
    default: { numWorkers: 10 },   // how many tasks of this queue run at once in one process
  },
});
`;

export const CONFIG = `{
  "tasksDir": "tasks",
  "outDir": "generated"
}
`;

export function tsconfig(include: string[]): string {
  return `${JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      skipLibCheck: true,
      rootDir: ".",
      outDir: "dist",
    },
    include,
  }, null, 2)}\n`;
}

export const SCRIPTS: Record<string, string> = {
  gen: "backie gen",
  migrate: "backie migrate",
  worker: "backie worker",
};
