import { html, type Html } from "./html.js";
import type { MinuteStats } from "../store/adminStore.js";

/**
 * A bar chart of succeeded (and, stacked, failed) tasks per bucket, as inline SVG: no chart
 * library, nothing to download.
 */
export function throughputChart(stats: readonly MinuteStats[], queue: string, now: Date, spanMs: number, bucketMs: number, caption: string): Html {
  const buckets = Math.round(spanMs / bucketMs);
  const start = Math.floor((now.getTime() - spanMs) / bucketMs) * bucketMs + bucketMs;
  const ok = new Array<number>(buckets).fill(0);
  const bad = new Array<number>(buckets).fill(0);
  let total = 0;
  let failed = 0;
  for (const s of stats) {
    if (s.queueName !== queue) continue;
    const i = Math.floor((s.minute.getTime() - start) / bucketMs);
    if (i < 0 || i >= buckets) continue;
    ok[i]! += s.succeeded;
    bad[i]! += s.failed;
    total += s.succeeded;
    failed += s.failed;
  }
  const peak = Math.max(1, ...ok.map((n, i) => n + bad[i]!));
  const width = 320;
  const height = 60;
  const bar = width / buckets;
  const bars = ok.map((n, i) => {
    if (n + bad[i]! === 0) return html``;
    const okHeight = (n / peak) * height;
    const badHeight = (bad[i]! / peak) * height;
    const x = (i * bar).toFixed(1);
    const w = Math.max(1, bar - 1).toFixed(1);
    return html`<rect class="ok" x="${x}" y="${(height - okHeight).toFixed(1)}" width="${w}" height="${okHeight.toFixed(1)}"><title>${n} succeeded, ${bad[i]} failed</title></rect>${bad[i]! > 0
      ? html`<rect class="bad" x="${x}" y="${(height - okHeight - badHeight).toFixed(1)}" width="${w}" height="${badHeight.toFixed(1)}"></rect>` : html``}`;
  });
  return html`<figure><figcaption>${caption}: ${total} succeeded, ${failed} failed</figcaption>
<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" width="100%" height="${height}" role="img" aria-label="${caption} throughput of queue ${queue}">${bars}</svg></figure>`;
}
