/** docs/operating.md's two mounting examples, run: the dashboard inside Express and inside Fastify. */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { buildExpressApp } from "../../examples/dashboardExpress.js";
import { buildFastifyApp } from "../../examples/dashboardFastify.js";
import { testDatabase } from "../support/db.js";
import { newTask } from "../support/tasks.js";

const db = await testDatabase("dashboardMount");
const store = db.store();
await store.insertTasks([newTask("mounted", "mount_q", { n: 1 })]);

const form = (body: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: "POST", redirect: "manual" as const, body: new URLSearchParams(body).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
});
const tokenOf = (page: string): string => /name="_csrf" value="([0-9a-f]+)"/.exec(page)![1]!;

describe("mounted in Express under /admin/backie, with authorize", () => {
  const server: Server = buildExpressApp(store).listen(0, "127.0.0.1");
  afterAll(() => void server.close());
  const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  it("serves its pages and assets under the mount path and leaves other routes to the app", async () => {
    const overview = await fetch(`${url()}/admin/backie/`);
    expect(overview.status).toBe(200);
    const page = await overview.text();
    expect(page).toContain('href="/admin/backie/tasks"');
    expect(page).toContain('data-queue="mount_q"');
    expect((await fetch(`${url()}/admin/backie/assets/app.css`)).headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await (await fetch(`${url()}/`)).text()).toBe("my app");
  });

  it("lets only what authorize allows change anything", async () => {
    const token = tokenOf(await (await fetch(`${url()}/admin/backie/`)).text());
    expect((await fetch(`${url()}/admin/backie/queues/mount_q/pause`, form({ _csrf: token }))).status).toBe(403);
    const allowed = await fetch(`${url()}/admin/backie/queues/mount_q/pause`, form({ _csrf: token }, { "x-user-role": "admin" }));
    expect(allowed.status).toBe(303);
    expect(allowed.headers.get("location")).toBe("/admin/backie/?notice=queue%20mount_q%20paused");
    expect((await store.admin.pausedQueues()).map((p) => p.queueName)).toEqual(["mount_q"]);
    await store.admin.setQueuePaused("mount_q", false);
  });
});

describe("mounted in Fastify under /backie, read-only", async () => {
  const app = await buildFastifyApp(store);
  await app.listen({ port: 0, host: "127.0.0.1" });
  afterAll(() => app.close());
  const url = () => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  it("serves pages, refuses writes with 405, and leaves other routes to the app", async () => {
    const tasks = await fetch(`${url()}/backie/tasks?queue=mount_q`);
    expect(tasks.status).toBe(200);
    expect(await tasks.text()).toMatch(/<td>mounted<\/td>/);
    const write = await fetch(`${url()}/backie/queues/mount_q/pause`, form({ _csrf: "x" }));
    expect(write.status).toBe(405);
    expect(await (await fetch(`${url()}/`)).text()).toBe("my app");
  });

  it("reads form bodies itself when writes are allowed", async () => {
    const writable = await buildFastifyApp(store, { readOnly: false });
    await writable.listen({ port: 0, host: "127.0.0.1" });
    try {
      const base = `http://127.0.0.1:${(writable.server.address() as AddressInfo).port}`;
      const token = tokenOf(await (await fetch(`${base}/backie/`)).text());
      const paused = await fetch(`${base}/backie/queues/mount_q/pause`, form({ _csrf: token }));
      expect(paused.status).toBe(303);
      expect((await store.admin.pausedQueues()).map((p) => p.queueName)).toEqual(["mount_q"]);
      await fetch(`${base}/backie/queues/mount_q/resume`, form({ _csrf: token }));
      expect(await store.admin.pausedQueues()).toEqual([]);
    } finally {
      await writable.close();
    }
  });
});
