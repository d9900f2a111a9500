import { expect, it } from "vitest";
import { DUPLICATE_SIGNAL_MS, shutdownOnSignals } from "../../src/cli/runWorker.js";

function harness() {
  const lines: string[] = [];
  const exits: number[] = [];
  let clock = 1_000;
  let stops = 0;
  const logger = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m), debug: (m: string) => lines.push(m) };
  const shutdown = shutdownOnSignals(logger, () => (stops++, new Promise(() => {})), (code) => exits.push(code), () => clock);
  return { shutdown, lines, exits, stops: () => stops, tick: (ms: number) => (clock += ms) };
}

it("a copy of the first signal (group and wrapper) and the wrapper's death do not force an exit", () => {
  const h = harness();
  h.shutdown.onSignal("SIGTERM");
  h.tick(5);
  h.shutdown.onSignal("SIGTERM");
  h.shutdown.onOrphaned(42);
  h.tick(DUPLICATE_SIGNAL_MS - 10);
  h.shutdown.onSignal("SIGINT");
  expect(h.exits).toEqual([]);
  expect(h.stops()).toBe(1);
});

it("a second signal a second or more after the first exits at once with 130", () => {
  const h = harness();
  h.shutdown.onSignal("SIGINT");
  h.tick(DUPLICATE_SIGNAL_MS);
  h.shutdown.onSignal("SIGINT");
  expect(h.exits).toEqual([130]);
  expect(h.lines.at(-1)).toMatch(/second SIGINT, exiting now/);
});

it("the wrapper's death alone starts one graceful shutdown", () => {
  const h = harness();
  h.shutdown.onOrphaned(42);
  h.shutdown.onOrphaned(42);
  expect(h.stops()).toBe(1);
  expect(h.lines.join("\n")).toMatch(/pid 42\) exited[\s\S]*shutting down gracefully/);
});
