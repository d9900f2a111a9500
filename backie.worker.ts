/**
 * Settings of the generated worker (`npm run worker`, `backie worker`): the application context
 * every task gets as `ctx.app`, and per-queue concurrency. `npm run gen` wires this file into
 * `generated/worker.ts`; the demo uses it too.
 */
import { defineWorker } from "./src/index.js";

/** Stands in for a mail provider's client: one per worker process, shared by every run. */
export class Mailer {
  private sent = 0;

  async send(to: string, subject: string, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.sent += 1;
    console.log(`  mail to ${to}: ${subject}`);
  }

  async close(): Promise<void> {
    console.log(`  mailer closed after ${this.sent} mails`);
  }
}

// Tasks see `ctx.app.mailer` typed: the runtime's AppContext is empty until an app fills it.
declare module "./src/index.js" {
  interface AppContext {
    mailer: Mailer;
  }
}

export default defineWorker({
  app: {
    create: () => ({ mailer: new Mailer() }),
    close: (app) => app.mailer.close(),
  },
  queues: {
    email: { numWorkers: 20 },
    images: { numWorkers: 2 },
  },
});
