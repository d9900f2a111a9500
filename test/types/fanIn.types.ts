/**
 * Type-level tests of fan-in, checked by `npm run typecheck`: a child's result type comes from
 * its `run` through codegen (`Results`), and `ctx.fanIn` compiles only when the children's result
 * type is the one the continuation's payload (`FanInPayload<Base, R>`) declares.
 */
import type { Results } from "../../generated/enqueue.js";
import { defineTask, type ChildOutcome, type ResultOf } from "../../src/index.js";
import type countWords from "../../tasks/countWords.js";
import type { WordCount } from "../../tasks/countWords.js";

export const wordCount: WordCount = null as unknown as Results["count_words"];
export const sameByResultOf: WordCount = null as unknown as ResultOf<typeof countWords>;
// A task whose run returns nothing has no result (never).
export const noResult: [Results["send_welcome_email"]] extends [never] ? true : false = true;

export const parent = defineTask({
  name: "typed_parent",
  async run(payload: { doc: string; parts: string[] }, ctx) {
    const children = payload.parts.map((text) => ctx.enqueue.countWords.spec({ documentId: payload.doc, text }));
    await ctx.fanIn(ctx.enqueue.summarizeCounts.after({ documentId: payload.doc }), children);
    // @ts-expect-error -- the continuation adds `children` itself
    ctx.enqueue.summarizeCounts.after({ documentId: payload.doc, children: [] });
    // @ts-expect-error -- documentId is required by the continuation's payload
    ctx.enqueue.summarizeCounts.after({});
    // @ts-expect-error -- resize_image's result is not WordCount: these children cannot feed summarize_counts
    await ctx.fanIn(ctx.enqueue.summarizeCounts.after({ documentId: payload.doc }), [ctx.enqueue.resizeImage.spec({ sourceUrl: "https://x.example/a.png", width: 1, height: 1, format: "webp" })]);
    // @ts-expect-error -- send_welcome_email's payload has no `children`: it cannot be a continuation
    ctx.enqueue.sendWelcomeEmail.after({ to: "a@example.com", name: "A" });
    // @ts-expect-error -- a child payload is checked like enqueue's
    ctx.enqueue.countWords.spec({ documentId: payload.doc });
  },
});

/** A continuation reads its children's outcomes by state; only a done one has a result. */
export function total(children: Array<ChildOutcome<WordCount>>): number {
  let words = 0;
  for (const c of children) {
    if (c.state === "done") words += c.result.words;
    // @ts-expect-error -- a failed child has an error, no result
    else words += c.result.words;
  }
  return words;
}
