import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defineTask, enqueueFunction, type NewTask, type TaskStore } from "../../src/index.js";
import { validatorFor } from "../support/tasks.js";

const run = async (): Promise<void> => {};

describe("per-key concurrency options", () => {
  it("refuses a bad concurrencyKey, concurrencyLimit or fifo with one line each", () => {
    const bad: Array<[object, RegExp]> = [
      [{ concurrencyKey: "customerId" }, /^task "t": `concurrencyKey` must be a function of the payload, e\.g\. \(p\) => p\.customerId$/],
      [{ concurrencyLimit: 2 }, /^task "t": `concurrencyLimit` needs a `concurrencyKey`$/],
      [{ fifo: true }, /^task "t": `fifo` needs a `concurrencyKey`$/],
      [{ concurrencyKey: () => "k", concurrencyLimit: 0 }, /^task "t": `concurrencyLimit` must be a whole number from 1 to 10000, got 0$/],
      [{ concurrencyKey: () => "k", concurrencyLimit: 1.5 }, /got 1\.5$/],
      [{ concurrencyKey: () => "k", concurrencyLimit: Number.NaN }, /got NaN$/],
      [{ concurrencyKey: () => "k", fifo: "yes" }, /^task "t": `fifo` must be true or false$/],
    ];
    for (const [options, message] of bad) {
      expect(() => defineTask({ name: "t", run, ...options })).toThrow(message);
    }
    expect(defineTask({ name: "t", run, concurrencyKey: () => "k", concurrencyLimit: 3, fifo: true }).concurrencyLimit).toBe(3);
  });
});

describe("the concurrency key at enqueue", () => {
  function client(concurrencyKey: (p: { k: unknown }) => string) {
    const inserted: NewTask[] = [];
    const store = { insertTasks: async (tasks: readonly NewTask[]) => (inserted.push(...tasks), tasks.map((_, i) => ({ id: String(i), deduplicated: false }))) } as unknown as TaskStore;
    return { inserted, enqueue: enqueueFunction<{ k: unknown }>(() => store, { name: "t", queue: "q", maxRetries: 0, validate: validatorFor({ type: "object" }), concurrencyKey }) };
  }

  it("stores the key of each payload, and refuses what is not a non-empty storable string with one line", async () => {
    const { inserted, enqueue } = client((p) => p.k as string);
    await enqueue.many([{ k: "a" }, { k: "b" }]);
    expect(inserted.map((t) => t.concurrencyKey)).toEqual(["a", "b"]);
    await expect(enqueue({ k: 5 })).rejects.toThrow(/^task "t": concurrencyKey must return a string, got number$/);
    await expect(enqueue({ k: "" })).rejects.toThrow(/^task "t": the concurrency key is empty; return a non-empty string$/);
    await expect(client(() => "a\u0000b").enqueue({ k: "x" })).rejects.toThrow(/^task "t": the concurrency key /);
    const throwing = client(() => { throw new Error("no customer"); });
    await expect(throwing.enqueue({ k: "x" })).rejects.toThrow(/^task "t": concurrencyKey threw: no customer$/);
  });

  it("never lets a key function's result through unless it is a non-empty string (property)", async () => {
    await fc.assert(fc.asyncProperty(fc.anything(), async (value) => {
      const { inserted, enqueue } = client(() => value as string);
      try {
        await enqueue({ k: 1 });
      } catch (error) {
        expect(String((error as Error).message).split("\n")).toHaveLength(1);
        return;
      }
      expect(typeof inserted[0]!.concurrencyKey).toBe("string");
      expect(inserted[0]!.concurrencyKey).not.toBe("");
    }));
  });
});
