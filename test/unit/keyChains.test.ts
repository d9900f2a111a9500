import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defineTask } from "../../src/index.js";
import type { ClaimedTask } from "../../src/store/taskStore.js";
import { KeyChains } from "../../src/worker/keyChains.js";
import { KeyedClaims } from "../../src/worker/keyedClaims.js";
import { registered } from "../support/tasks.js";

function task(id: number, taskName: string, concurrencyKey: string | null): ClaimedTask {
  return { id: String(id), taskName, concurrencyKey, token: 1 } as unknown as ClaimedTask;
}

// A model run: tasks arrive (as a claim hands them over) and runs end, in any order. What must
// hold: never two running tasks of one held key, each task started exactly once (by admit or by
// next), a key's tasks in arrival order, and nothing left waiting once every run has ended.
it("holds one run per key at a time, starts every task once and in order, whatever the interleaving", () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant("arrive" as const), name: fc.constantFrom("one", "other", "free"), key: fc.constantFrom("a", "b", "c", null) }),
    fc.record({ kind: fc.constant("end" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("drop" as const), pick: fc.nat() }),
  );
  fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
    const chains = new KeyChains(new Set(["one", "other"]));
    const running: ClaimedTask[] = [];
    const started = new Map<string, number>();
    const arrived: ClaimedTask[] = [];
    const dropped = new Set<string>();
    let nextId = 0;
    const start = (t: ClaimedTask): void => {
      started.set(t.id, (started.get(t.id) ?? 0) + 1);
      running.push(t);
    };
    const endRun = (t: ClaimedTask): void => {
      running.splice(running.indexOf(t), 1);
      // A result mid-chain frees nothing (written without hurry, waking no claim): exactly when
      // a task of its key waits here.
      const successor = chains.waitingTasks().some((w) => w.taskName === t.taskName && w.concurrencyKey === t.concurrencyKey);
      expect(chains.continues(t)).toBe(successor && t.concurrencyKey != null && t.taskName !== "free");
      const next = chains.next(t);
      if (next) start(next);
    };
    for (const s of steps) {
      if (s.kind === "arrive") {
        const t = task(nextId++, s.name, s.key);
        arrived.push(t);
        if (chains.admit(t)) start(t);
      } else if (s.kind === "end" && running.length > 0) {
        endRun(running[s.pick % running.length]!);
      } else if (s.kind === "drop" && chains.size > 0) {
        // A lost lease: the waiting task is forgotten, never started.
        const waiting = chains.waitingTasks();
        const victim = waiting[s.pick % waiting.length]!;
        dropped.add(victim.id);
        chains.drop((t) => t.id === victim.id);
      }
      const keys = running.filter((t) => t.concurrencyKey != null && t.taskName !== "free").map((t) => `${t.taskName}/${t.concurrencyKey}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(chains.size).toBe(chains.waitingTasks().length);
    }
    while (running.length > 0) endRun(running[0]!);
    expect(chains.size).toBe(0);
    for (const t of arrived) expect(started.get(t.id) ?? 0).toBe(dropped.has(t.id) ? 0 : 1);
    // Within a key, tasks start in the order they arrived.
    const order = [...started.keys()];
    for (const key of ["a", "b", "c"]) {
      for (const name of ["one", "other"]) {
        const ids = arrived.filter((t) => t.taskName === name && t.concurrencyKey === key && !dropped.has(t.id)).map((t) => t.id);
        expect(order.filter((id) => ids.includes(id))).toEqual(ids);
      }
    }
  }), { numRuns: 300 });
});

it("gives every waiting task back on takeAll, and frees each key as its run ends", () => {
  const chains = new KeyChains(new Set(["one"]));
  const [a1, a2, a3, b1] = [task(1, "one", "a"), task(2, "one", "a"), task(3, "one", "a"), task(4, "one", "b")];
  expect(chains.admit(a1)).toBe(true);
  expect(chains.admit(a2)).toBe(false);
  expect(chains.admit(a3)).toBe(false);
  expect(chains.admit(b1)).toBe(true);
  expect(chains.takeAll().map((t) => t.id)).toEqual(["2", "3"]);
  expect(chains.size).toBe(0);
  expect(chains.next(a1)).toBeUndefined();
  // Key a is free again: a new task of it starts at once.
  expect(chains.admit(task(5, "one", "a"))).toBe(true);
});

describe("KeyedClaims sizing", () => {
  const hot = defineTask({ name: "hot", async run(_p: { k: string }) {}, concurrencyKey: (p) => p.k });
  const registry = new Map([["hot", registered(hot)]]);
  const heldKeys = (n: number) => Array.from({ length: n }, (_, i) => task(i, "hot", `k${i}`));

  it("takes chains of one for slow tasks over many keys, even when a claim came back short", () => {
    const keyed = new KeyedClaims(registry, 10);
    // Slow tasks: the prefetch is at its floor, the slots' number.
    expect(keyed.request([], 10)).toMatchObject({ keyChain: 1, keyedLimit: 20 });
    keyed.taken(heldKeys(12), 20); // short: 12 keys of 20
    expect(keyed.request(heldKeys(12), 10)).toMatchObject({ keyChain: 1, keyedLimit: 8 });
  });

  it("takes long chains when keys are scarce (fewer held than slots) or tasks fast, counting a chain once", () => {
    const keyed = new KeyedClaims(registry, 10);
    keyed.taken([task(1, "hot", "only")], 20); // one key found of 20 asked
    // Slow tasks (the prefetch at the slots' number): 8.
    expect(keyed.request([task(1, "hot", "only")], 10)).toMatchObject({ keyChain: 8 });
    // Fast ones (a deep prefetch): longer, up to 32 from four times the floor, whatever the slots.
    expect(keyed.request([task(1, "hot", "only")], 25)).toMatchObject({ keyChain: 20 });
    expect(keyed.request([task(1, "hot", "only")], 2_000)).toMatchObject({ keyChain: 32 });
    const wide = new KeyedClaims(registry, 50);
    wide.taken([task(1, "hot", "only")], 100);
    expect(wide.request([task(1, "hot", "only")], 50)).toMatchObject({ keyChain: 8 });
    expect(wide.request([task(1, "hot", "only")], 500)).toMatchObject({ keyChain: 32 });
    const fast = new KeyedClaims(registry, 10);
    const chain = [task(1, "hot", "a"), task(2, "hot", "a"), task(3, "hot", "a"), task(4, "hot", "b")];
    // 2,000 of prefetch: chains of 16, a cap of 2,000 tasks as 125 keys, two of them held.
    expect(fast.request(chain, 2_000)).toMatchObject({ keyChain: 16, keyedLimit: 123 });
    // A shallower prefetch, shorter chains: 8 at 160 over 10 slots.
    expect(fast.request(chain, 160)).toMatchObject({ keyChain: 8 });
    expect(fast.taken(chain, 2)).toBe(false);
  });
});
