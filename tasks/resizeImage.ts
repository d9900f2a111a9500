import { defineTask } from "../src/index.js";

export type ImageFormat = "png" | "jpeg" | "webp";

export interface ResizeImage {
  /** @format uri */
  sourceUrl: string;
  /** @minimum 16 @maximum 4096 */
  width: number;
  /** @minimum 16 @maximum 4096 */
  height: number;
  format: ImageFormat;
}

/** Makes a thumbnail. CPU-bound work gets its own queue so it cannot starve email. */
export default defineTask({
  name: "resize_image",
  queue: "images",
  maxRetries: 2,
  timeoutMs: 60_000,
  backoff: { kind: "fixed", delayMs: 1_000 },
  async run(payload: ResizeImage, ctx) {
    if (ctx.signal.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
    ctx.log.info(`thumbnail ${payload.width}x${payload.height}.${payload.format} of ${payload.sourceUrl}`);
  },
});
