import fc from "fast-check";
import { afterEach, expect, it } from "vitest";
import type { ExpiredTask, TaskStore } from "../../src/store/taskStore.js";
import { rescuePause, rescuer, type Service } from "../../src/worker/maintenance.js";

it("rescuePause: the interval while scans are quick, a hundred times the scan while slow, at most four intervals", () => {
  expect(rescuePause(500, 0.3)).toBe(500);
  expect(rescuePause(500, 5)).toBe(500);
  expect(rescuePause(500, 12)).toBe(1_200);
  expect(rescuePause(500, 31)).toBe(2_000);
  expect(rescuePause(500, 60_000)).toBe(2_000);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 600_000 }), fc.double({ min: 0, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 1e7, noNaN: true }), (interval, a, b) => {
      const [fast, slow] = a <= b ? [a, b] : [b, a];
      const pause = rescuePause(interval, slow);
      expect(pause).toBeGreaterThanOrEqual(interval);
      expect(pause).toBeLessThanOrEqual(4 * interval);
      // A slower scan never brings the next one sooner.
      expect(pause).toBeGreaterThanOrEqual(rescuePause(interval, fast));
    }),
  );
});

const running: Service[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** A store whose scans take `readMs` by the database's clock (or, with null, `delayMs` by the call's) and find `expired` once. */
function scanStore(state: { readMs: number | null; delayMs: number; expired: ExpiredTask[] }) {
  const scans: number[] = [];
  /** Index in `scans` of each scan that found expired leases. */
  const finds: number[] = [];
  const store = {
    async findExpired() {
      scans.push(performance.now());
      if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
      if (state.expired.length > 0) finds.push(scans.length - 1);
      return { tasks: state.expired.splice(0), readMs: state.readMs };
    },
    async completeTasks() {
      return new Set<string>();
    },
  } as unknown as TaskStore;
  return { store, scans, finds };
}

function start(store: TaskStore, intervalMs: number): Service {
  const service = rescuer({ store, intervalMs, retention: () => "removeDone", onRescued: () => {}, emit: () => {} });
  running.push(service);
  service.start();
  return service;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const scansIn = async (scans: number[], ms: number) => {
  const from = scans.length;
  await sleep(ms);
  return scans.length - from;
};

it("scans every interval while scans are quick, up to four intervals apart while they are slow, and at once again after finding expired leases", async () => {
  const state = { readMs: 0.2 as number | null, delayMs: 0, expired: [] as ExpiredTask[] };
  const { store, scans, finds } = scanStore(state);
  start(store, 40);
  // Every 40 ms: about 15 in 600 ms.
  expect(await scansIn(scans, 600)).toBeGreaterThanOrEqual(8);
  // 10 ms a scan (by the database's clock): a hundred times that is past four intervals, so 160 ms apart.
  state.readMs = 10;
  await sleep(200);
  const slow = await scansIn(scans, 960);
  expect(slow).toBeGreaterThanOrEqual(3);
  expect(slow).toBeLessThanOrEqual(8);
  // A scan that finds an expired lease: the next tick scans again (a crash may leave more), one
  // interval later rather than four, though the scans are still slow.
  state.expired.push({ id: "1", token: 1, taskName: "t", queueName: "q", attempts: 1, maxRetries: 3, leaseOwner: "gone", leaseExpiresAt: new Date(0), confirmed: true, lapses: 0 });
  await sleep(400);
  expect(finds).toHaveLength(1);
  const found = finds[0]!;
  expect(scans.length).toBeGreaterThan(found + 1);
  expect(scans[found + 1]! - scans[found]!).toBeLessThan(110);
  // And then apart again.
  expect(scans.length).toBeGreaterThan(found + 2);
  expect(scans[found + 2]! - scans[found + 1]!).toBeGreaterThan(110);
});

it("times the call itself when the store cannot say how long the database took", async () => {
  const state = { readMs: null as number | null, delayMs: 12, expired: [] as ExpiredTask[] };
  const { store, scans } = scanStore(state);
  start(store, 40);
  await sleep(200);
  // Each call takes 12 ms or more: scans 160 ms apart, where quick ones would come every 40.
  const slow = await scansIn(scans, 960);
  expect(slow).toBeGreaterThanOrEqual(3);
  expect(slow).toBeLessThanOrEqual(8);
});
