/**
 * Every request a client can send the dashboard gets a page or a one-line error, never a 500 or
 * a hang, and nothing it sends comes back unescaped (property-based, fast-check).
 */
import fc from "fast-check";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createDashboard } from "../../src/index.js";
import { testDatabase } from "../support/db.js";
import { statusOf } from "../support/rawRequest.js";
import { newTask } from "../support/tasks.js";

const db = await testDatabase("dashboardInputs");
const store = db.store();
await store.insertTasks([newTask("probe", "probe_q", { marker: "<b>stored</b>" })]);
const handler = createDashboard({ store, basePath: "/d" });
const server = createServer((req, res) => handler(req, res));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => void server.close());
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const MARK = "<x-evil>";
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", " ", "\u0000", "\uD800", "9".repeat(30), "-1", "0", "1e3", "{}", "[]", '{"a":', "null", "2026-13-45", "../../etc/passwd", "%", "%00", MARK, `"${MARK}`, "x".repeat(3_000)),
).map((s) => `${s}${MARK}`);
const FIELDS = ["queue", "task", "state", "id", "from", "to", "payload", "before", "notice"];

describe("dashboard inputs", () => {
  it("answers any query on any page with a page or a one-line error, escaping what it echoes", async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom("/d/", "/d/tasks", "/d/workers", "/d/schedules", "/d/tasks/1"),
      fc.dictionary(fc.constantFrom(...FIELDS), nasty, { maxKeys: 4 }),
      async (path, params) => {
        const search = new URLSearchParams(params).toString();
        const response = await fetch(`${base}${path}?${search}`);
        const body = await response.text();
        expect([200, 400, 404]).toContain(response.status);
        expect(body).not.toContain(MARK);
        if (response.status !== 200) expect(body).toMatch(/<p class="problem" role="alert">[^<\n]+<\/p>/);
      },
    ), { numRuns: 150 });
  });

  it("answers any path and method without a 500, and any write without a valid token with 403", async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.oneof(fc.constantFrom("tasks", "queues", "bulk", "retry", "pause", "assets", "1", "99999999999999999999", "%2F", "%ZZ", ".."), fc.webSegment()), { maxLength: 4 }),
      fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"),
      fc.string({ maxLength: 200 }),
      async (segments, method, body) => {
        const response = await fetch(`${base}/d/${segments.join("/")}`, {
          method, ...(method === "GET" || method === "HEAD" ? {} : { body, headers: { "content-type": "application/x-www-form-urlencoded" } }),
        });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
        if (method === "POST") expect([400, 403, 404]).toContain(response.status);
      },
    ), { numRuns: 150 });
    // Nothing was changed by any of it.
    expect(await store.admin.pausedQueues()).toEqual([]);
    expect((await store.findTasks(["1"]))[0]?.state).toBe("ready");
  });

  it("reads a request target that starts with // as a path, never as a host; one it cannot read is a 400", async () => {
    const status = (target: string) => statusOf((server.address() as AddressInfo).port, target);
    expect(await status("//%2F")).toBe(404);
    expect(await status("//evil.example/d/")).toBe(404);
    expect(await status("/d//%2F")).toBeLessThan(500);
    expect(await status("*")).toBe(400);
    expect(await status("http://127.0.0.1/d/")).toBe(200);
  });

  it("looks through a bounded window of ids per page, and links to the next window", async () => {
    const small = createDashboard({ store, scanWindow: 5 });
    const smallServer = createServer((req, res) => small(req, res));
    await new Promise<void>((resolve) => smallServer.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(smallServer.address() as AddressInfo).port}`;
      const [needle] = await store.insertTasks([newTask("probe", "window_q", { needle: true })]);
      await store.insertTasks(Array.from({ length: 12 }, () => newTask("probe", "window_q", { needle: false })));
      let page = await (await fetch(`${url}/tasks?payload=${encodeURIComponent('{"needle":true}')}`)).text();
      const hops: string[] = [];
      while (!page.includes(`data-id="${needle!.id}"`)) {
        const next = /<a rel="next" href="([^"]+)">Search ids up to #(\d+) →<\/a>/.exec(page);
        expect(next, "a link to the next window").not.toBeNull();
        hops.push(next![2]!);
        page = await (await fetch(`${url}${next![1]!.replaceAll("&amp;", "&")}`)).text();
      }
      // 12 newer rows at 5 ids per window: found after two more windows, each page a bounded read.
      expect(hops.length).toBeGreaterThanOrEqual(2);
    } finally {
      smallServer.close();
    }
  });

  it("reads the payload box as JSON, key=value pairs or text, and says which reading it used", async () => {
    const [acme, globex, initech] = await store.insertTasks([
      newTask("probe", "payload_q", { accountId: "acme", customer: { id: 42 }, note: "Urgent: call Ada" }),
      newTask("probe", "payload_q", { accountId: "globex", customer: { id: "42" } }),
      newTask("probe", "payload_q", { accountId: "initech", count: 7 }),
    ]);
    const search = async (payload: string) => {
      const response = await fetch(`${base}/d/tasks?${new URLSearchParams({ queue: "payload_q", payload }).toString()}`);
      const page = await response.text();
      const ids = [...page.matchAll(/<tr data-id="(\d+)">/g)].map((m) => m[1]).sort();
      return { status: response.status, ids, said: /<p id="payload-filter" class="muted">([^<]*)<\/p>/.exec(page)?.[1], page };
    };
    const ids = (...tasks: Array<{ id: string } | undefined>) => tasks.map((t) => t!.id).sort();
    expect(await search('{"accountId":"acme"}')).toMatchObject({ status: 200, ids: ids(acme), said: "Payload contains the JSON {&quot;accountId&quot;:&quot;acme&quot;}." });
    expect(await search("customer.id=42")).toMatchObject({ ids: ids(acme, globex), said: "Payload fields customer.id = 42 or &quot;42&quot;." });
    expect(await search('customer.id="42"')).toMatchObject({ ids: ids(globex) });
    expect(await search("accountId=acme customer.id=42")).toMatchObject({ ids: ids(acme) });
    expect(await search("count=7")).toMatchObject({ ids: ids(initech) });
    expect(await search("CALL ada")).toMatchObject({ ids: ids(acme), said: "Payload text contains &quot;CALL ada&quot;." });
    expect(await search("nobody")).toMatchObject({ status: 200, ids: [] });
    const twice = await search("count=1 count=2");
    expect(twice.status).toBe(400);
    expect(twice.page).toContain('<p class="problem" role="alert">filter payload: count is given twice</p>');
  });

  it("escapes stored data in every page: a payload's markup shows as text", async () => {
    const page = await (await fetch(`${base}/d/tasks/1`)).text();
    expect(page).toContain("&lt;b&gt;stored&lt;/b&gt;");
    expect(page).not.toContain("<b>stored</b>");
  });
});

it("keeps an action's notice on the error page that follows it (a retried task done and removed before its page loads)", async () => {
  const response = await fetch(`${base}/d/tasks/987654321?notice=${encodeURIComponent("task 987654321 will run again")}`);
  const body = await response.text();
  expect(response.status).toBe(404);
  expect(body).toContain('<p class="notice" role="status">task 987654321 will run again</p>');
  expect(body).toContain("no task 987654321 (it may have finished and been removed)");
});
