import { defineTask } from "../src/index.js";

export interface SendWelcomeEmail {
  /** @format email */
  to: string;
  /** @minLength 1 @maxLength 200 */
  name: string;
  locale?: "en" | "de";
}

/** Sends the welcome email once per address, however often sign-up is clicked. */
export default defineTask({
  name: "send_welcome_email",
  queue: "email",
  maxRetries: 5,
  timeoutMs: 30_000,
  async run(payload: SendWelcomeEmail, ctx) {
    const greeting = payload.locale === "de" ? "Willkommen" : "Welcome";
    // The mailer is created once per worker (backie.worker.ts); ctx.signal cancels on a timeout.
    await ctx.app.mailer.send(payload.to, `${greeting}, ${payload.name}`, ctx.signal);
  },
  // After `run`, so that TypeScript already knows the payload type here.
  uniqueKey: (p) => p.to.toLowerCase(),
  // The mail provider allows 20 sends a second per account: across every worker process.
  rateLimit: { max: 20, perMs: 1_000 },
});
