import { defineTask } from "../src/index.js";

export interface CountWords {
  documentId: string;
  /** @maxLength 100000 */
  text: string;
}

/** What one count returns: its fan-in continuation receives it, typed (see analyzeDocument). */
export interface WordCount {
  /** @minimum 0 */
  words: number;
}

/** A fan-in child: counts the words of one part of a document and returns the count. */
export default defineTask({
  name: "count_words",
  queue: "reports",
  async run(payload: CountWords): Promise<WordCount> {
    return { words: payload.text.split(/\s+/).filter(Boolean).length };
  },
});
