/**
 * Type-level tests of the generated client, checked by `npm run typecheck` (part of `npm test`).
 * Each `@ts-expect-error` must fail to compile; an unused one is itself an error.
 */
import type { Enqueue, Payloads, TaskName } from "../../generated/enqueue.js";
import type { TaskContext } from "../../src/index.js";

declare const enqueue: Enqueue;
declare const ctx: TaskContext;

export async function compiles(): Promise<void> {
  const { id, deduplicated } = await enqueue.sendWelcomeEmail({ to: "ada@example.com", name: "Ada", locale: "de" });
  void [id.toUpperCase(), deduplicated === true];
  await enqueue.resizeImage.many([{ sourceUrl: "https://x/y.png", width: 64, height: 64, format: "webp" }]);
  await enqueue.generateReport({ accountId: "a", from: "2026-01-01", to: "2026-01-31" }, { delayMs: 1_000, priority: 5 });
  const name: TaskName = "generate_report";
  const payload: Payloads["send_welcome_email"] = { to: "a@b.co", name: "A" };
  void [name, payload];
}

export async function doesNotCompile(): Promise<void> {
  // @ts-expect-error a misspelt task name
  await enqueue.sendWelcomEmail({ to: "ada@example.com", name: "Ada" });
  // @ts-expect-error a misspelt payload field
  await enqueue.sendWelcomeEmail({ to: "ada@example.com", nmae: "Ada" });
  // @ts-expect-error a missing required field
  await enqueue.sendWelcomeEmail({ to: "ada@example.com" });
  // @ts-expect-error a value outside a literal union
  await enqueue.resizeImage({ sourceUrl: "https://x/y.png", width: 64, height: 64, format: "gif" });
  // @ts-expect-error a number given as a string
  await enqueue.resizeImage({ sourceUrl: "https://x/y.png", width: "64", height: 64, format: "png" });
  // @ts-expect-error a payload of another task in a batch
  await enqueue.resizeImage.many([{ to: "ada@example.com", name: "Ada" }]);
  // @ts-expect-error an unknown option
  await enqueue.generateReport({ accountId: "a", from: "2026-01-01", to: "2026-01-31" }, { delay: 1_000 });
  // @ts-expect-error a task name that does not exist
  const name: TaskName = "send_welcome_mail";
  void name;
}

export async function insideATask(): Promise<void> {
  await ctx.enqueue.sendReportReady({ to: "ops@acme.example", accountId: "acme", reportUrl: "https://r/1.pdf" }, { delayMs: 10 });
  await ctx.enqueue.resizeImage.many([{ sourceUrl: "https://x/y.png", width: 64, height: 64, format: "png" }]);
  // @ts-expect-error ctx.enqueue: a misspelt task name
  await ctx.enqueue.sendReportRedy({ to: "ops@acme.example", accountId: "acme", reportUrl: "https://r/1.pdf" });
  // @ts-expect-error ctx.enqueue: a wrong payload field
  await ctx.enqueue.sendReportReady({ to: "ops@acme.example", account: "acme", reportUrl: "https://r/1.pdf" });
}
