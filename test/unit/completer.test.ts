import { expect, it } from "vitest";
import type { TaskResult, TaskStore } from "../../src/store/taskStore.js";
import { Completer } from "../../src/worker/completer.js";

/** Records each write's ids; every result applies. */
function recordingStore(): { store: TaskStore; writes: string[][] } {
  const writes: string[][] = [];
  const store = { completeTasks: async (results: readonly TaskResult[]) => (writes.push(results.map((r) => r.id)), new Set<string>()) };
  return { store: store as unknown as TaskStore, writes };
}

const done = (id: string): TaskResult => ({ id, token: 1, outcome: "remove" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("holds results for the flush delay so they share a write, but writes at once when one is urgent (a key's next task waits for it)", async () => {
  const { store, writes } = recordingStore();
  const completer = new Completer({ store, flushDelayMs: 10_000, onStoreError: () => {} });
  completer.push({ result: done("1"), settled: () => {} });
  completer.push({ result: done("2"), settled: () => {} });
  await sleep(50);
  expect(writes).toEqual([]);
  let settled = false;
  completer.push({ result: done("3"), settled: () => (settled = true), urgent: true });
  await sleep(50);
  expect(writes).toEqual([["1", "2", "3"]]);
  expect(settled).toBe(true);

  // An urgent result that arrives with nothing pending goes at once too.
  completer.push({ result: done("4"), settled: () => {}, urgent: true });
  await sleep(50);
  expect(writes).toEqual([["1", "2", "3"], ["4"]]);
});

it("gives the lease keeper the leases of runs and of given-back tasks apart", () => {
  const { store } = recordingStore();
  const completer = new Completer({ store, flushDelayMs: 10_000, onStoreError: () => {} });
  const ran = { id: "1", token: 1, leaseUntil: 5 };
  completer.push({ result: done("1"), settled: () => {}, lease: ran });
  completer.push({ result: { id: "2", token: 3, outcome: "giveBack" }, settled: () => {} });
  expect(completer.heldLeases("ran")).toEqual([ran]);
  expect(completer.heldLeases("givenBack")).toEqual([{ id: "2", token: 3 }]);
});
