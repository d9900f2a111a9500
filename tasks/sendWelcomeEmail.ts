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
    // A real task would call the mail provider with ctx.signal so that a timeout cancels it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    ctx.log.info(`${greeting}, ${payload.name} <${payload.to}>`, { task: ctx.task.id });
  },
  // After `run`, so that TypeScript already knows the payload type here.
  uniqueKey: (p) => p.to.toLowerCase(),
});
