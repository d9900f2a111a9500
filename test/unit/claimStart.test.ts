import { expect, it } from "vitest";
import type { ClaimedTask, ClaimPosition, TaskStore } from "../../src/store/taskStore.js";
import { ClaimStart } from "../../src/worker/claimStart.js";

/**
 * A store whose head read takes `delayMs` and reports `head`; with `readMs`, the database's own
 * time for the read (`null`: the store cannot tell, so the call is timed).
 */
function headStore(state: { delayMs: number; head: ClaimPosition | null; readMs?: number | null }): TaskStore {
  const findClaimHead = async () => {
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    return { head: state.head, readMs: state.readMs ?? null };
  };
  return { findClaimHead } as unknown as TaskStore;
}

const task = (priority: number, scheduledAtMs: number) => ({ priority, scheduledAtMs }) as ClaimedTask;

it("uses a start only while the head reads slowly, a second behind the last claim, moved on and moved back", async () => {
  const state = { delayMs: 0, head: null as ClaimPosition | null };
  let movedBack = 0;
  const start = new ClaimStart({ store: headStore(state), queue: "q", names: ["t"], versions: {}, onMovedBack: () => movedBack++, onError: (e) => { throw e; } });
  start.claimed(task(0, 10_000));
  expect(start.current).toBeNull();

  state.delayMs = 10;
  await start.check();
  expect(start.current).toEqual({ priority: 0, scheduledAtMs: 9_000 });
  // Later tasks move it on; a claim of higher-priority ones alone, or of earlier ones, does not.
  start.claimed(task(0, 20_000));
  start.claimed(task(5, 30_000));
  start.claimed(task(0, 15_000));
  expect(start.current).toEqual({ priority: 0, scheduledAtMs: 19_000 });
  // A task landed before it: back to the head (a millisecond early), and claim again.
  state.head = { priority: 0, scheduledAtMs: 12_000 };
  await start.check();
  expect(start.current).toEqual({ priority: 0, scheduledAtMs: 11_999 });
  expect(movedBack).toBe(1);
  // A head of another priority needs no move: higher ones are always read, lower ones after.
  state.head = { priority: 3, scheduledAtMs: 1 };
  await start.check();
  expect(movedBack).toBe(1);

  // Three fast reads in a row: claims go back to the head.
  state.delayMs = 0;
  await start.check();
  await start.check();
  expect(start.current).not.toBeNull();
  await start.check();
  expect(start.current).toBeNull();
});

it("ignores a due time no Date holds (infinite, or past the year 275760: rows written by hand)", async () => {
  const head = { priority: 0, scheduledAtMs: -9.2e15 };
  const start = new ClaimStart({ store: headStore({ delayMs: 10, head }), queue: "q", names: ["t"], versions: {}, onMovedBack: () => {}, onError: () => {} });
  for (const ms of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 9.2e15, -8.64e15]) start.claimed(task(0, ms));
  await start.check();
  expect(start.current).toBeNull();
  start.claimed(task(0, 5_000));
  await start.check();
  // A head no Date holds leaves the start where it is.
  expect(start.current).toEqual({ priority: 0, scheduledAtMs: 4_000 });
});

it("decides from the database's time for the read when the store reports it, not from the round trip", async () => {
  // A slow round trip (a distant server) of a fast read: claims stay on the head.
  const state = { delayMs: 10, head: null as ClaimPosition | null, readMs: 0.2 as number | null };
  const start = new ClaimStart({ store: headStore(state), queue: "q", names: ["t"], versions: {}, onMovedBack: () => {}, onError: (e) => { throw e; } });
  start.claimed(task(0, 10_000));
  await start.check();
  expect(start.current).toBeNull();
  // A slow read in the database, however fast the round trip: claims use the start.
  state.delayMs = 0;
  state.readMs = 5;
  await start.check();
  expect(start.current).toEqual({ priority: 0, scheduledAtMs: 9_000 });
  // Fast reads again, three in a row: back to the head.
  state.readMs = 0.1;
  for (let i = 0; i < 3; i++) await start.check();
  expect(start.current).toBeNull();
});
