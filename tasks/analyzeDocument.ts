import { defineTask } from "../src/index.js";

export interface AnalyzeDocument {
  documentId: string;
  /** @minItems 1 @maxItems 1000 */
  parts: string[];
}

/**
 * Fans out one count_words child per part and continues with summarize_counts once all of them
 * finished. `ctx.fanIn` compiles only if the children's result type (WordCount) is the one the
 * continuation's payload declares; a rerun of this task finds its fan-out instead of repeating it.
 */
export default defineTask({
  name: "analyze_document",
  queue: "reports",
  async run(payload: AnalyzeDocument, ctx) {
    const { documentId } = payload;
    await ctx.fanIn(
      ctx.enqueue.summarizeCounts.after({ documentId }),
      payload.parts.map((text) => ctx.enqueue.countWords.spec({ documentId, text })),
      { onChildFailure: "ignore" },
    );
  },
});
