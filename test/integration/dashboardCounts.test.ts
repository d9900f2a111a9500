/** The overview's counts: runs apart from the tasks a worker only holds (prefetched, or started moments ago). */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createDashboard } from "../../src/index.js";
import { testDatabase } from "../support/db.js";
import { newTask } from "../support/tasks.js";

const db = await testDatabase("dashboardCounts");
const store = db.store();
const handler = createDashboard({ store, basePath: "/d" });
const server = createServer((req, res) => handler(req, res));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => void server.close());
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** The overview row of `queue`, as the numbers of its cells. */
async function overviewRow(queue: string): Promise<Record<string, string>> {
  const page = await (await fetch(`${base}/d/`)).text();
  const head = /<table id="queues"><thead><tr>(.*?)<\/tr><\/thead>/s.exec(page)![1]!;
  const names = [...head.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => m[1]!);
  const row = new RegExp(`<tr data-queue="${queue}">(.*?)</tr>`, "s").exec(page)![1]!;
  const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, "").trim());
  return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? ""]));
}

describe("the overview's running tasks", () => {
  it("counts confirmed runs as running and reserved ones as claimed", async () => {
    await store.insertTasks(Array.from({ length: 5 }, (_, i) => newTask("held", "counts_q", { i })));
    // A worker claims all five under a reservation and confirms two runs (its lease keeper makes
    // a run's lease full); the other three wait in its buffer.
    const claimed = await store.claimTasks({ queueName: "counts_q", taskNames: ["held"], limit: 5, owner: "w1", leaseMs: 5_000 });
    expect(claimed).toHaveLength(5);
    await store.extendLeases(claimed.slice(0, 2), 60_000, { confirm: true });
    const row = await overviewRow("counts_q");
    expect(row).toMatchObject({ Running: "2", Claimed: "3", Due: "0" });
    const counts = (await store.admin.overview()).find((c) => c.queueName === "counts_q" && c.state === "running");
    expect(counts).toMatchObject({ count: 5, claimed: 3 });
    // Each links to its own rows; the task list shows and filters them apart.
    const page = await (await fetch(`${base}/d/`)).text();
    expect(page.match(/href="\/d\/tasks\?queue=counts_q&amp;state=running"/g)).toHaveLength(1);
    expect(page.match(/href="\/d\/tasks\?queue=counts_q&amp;state=claimed"/g)).toHaveLength(1);
    const listed = async (state: string): Promise<Array<[string, string]>> => {
      const list = await (await fetch(`${base}/d/tasks?queue=counts_q${state ? `&state=${state}` : ""}`)).text();
      return [...list.matchAll(/<tr data-id="(\d+)">.*?<td class="state-(\w+)"/gs)].map((m) => [m[1]!, m[2]!] as [string, string]).sort();
    };
    const ids = (tasks: readonly { id: string }[]) => tasks.map((t) => t.id);
    const all = await listed("");
    expect(all.filter(([, state]) => state === "running").map(([id]) => id)).toEqual(ids(claimed.slice(0, 2)).sort());
    expect(all.filter(([, state]) => state === "claimed").map(([id]) => id)).toEqual(ids(claimed.slice(2)).sort());
    expect((await listed("running")).map(([id]) => id)).toEqual(ids(claimed.slice(0, 2)).sort());
    expect((await listed("claimed")).map(([id]) => id)).toEqual(ids(claimed.slice(2)).sort());
    expect(await listed("ready")).toEqual([]);
    // And each task's own page says which it is.
    const heading = async (id: string) => /<h1>Task #\d+ <span class="state-(\w+)"/.exec(await (await fetch(`${base}/d/tasks/${id}`)).text())?.[1];
    expect(await heading(claimed[0]!.id)).toBe("running");
    expect(await heading(claimed[4]!.id)).toBe("claimed");
    const stored = new Map((await store.findTasks(claimed.map((t) => t.id))).map((t) => [t.id, t.leaseConfirmed]));
    expect(claimed.map((t) => stored.get(t.id))).toEqual([true, true, false, false, false]);
  });
});
