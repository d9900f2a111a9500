import { defineTask, type FanInPayload } from "../src/index.js";
import type { WordCount } from "./countWords.js";

/** The continuation of analyzeDocument's fan-out: its own fields, plus each child's outcome. */
export type SummarizeCounts = FanInPayload<{ documentId: string }, WordCount>;

/** Runs once every count_words child finished, with their results in `children`. */
export default defineTask({
  name: "summarize_counts",
  queue: "reports",
  async run(payload: SummarizeCounts, ctx) {
    let words = 0;
    for (const child of payload.children) if (child.state === "done") words += child.result.words;
    const missing = payload.children.filter((c) => c.state !== "done").length;
    ctx.log.info(`document ${payload.documentId}: ${words} words in ${payload.children.length} parts${missing ? ` (${missing} not counted)` : ""}`);
  },
});
