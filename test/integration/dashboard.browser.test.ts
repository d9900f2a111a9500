/**
 * The dashboard as a person uses it: headless Chromium against a real PostgreSQL and a real
 * worker process. Saves a screenshot of each page into docs/ for docs/operating.md.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard, type DashboardHandler } from "../../src/index.js";
import { launchBrowser } from "../support/browser.js";
import { eventually, testDatabase } from "../support/db.js";
import { spawnWorker, type WorkerProcess } from "../support/processes.js";
import { newTask } from "../support/tasks.js";
import { tempDir } from "../support/tempDir.js";

const db = await testDatabase("dashboardBrowser");
const store = db.store();
const QUEUE = "web";
const DOCS = new URL("../../docs/", import.meta.url).pathname;
const fixDir = tempDir("dashboard-fix");
const fixFile = path.join(fixDir, "deployed");

async function serve(handler: DashboardHandler): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let browser: Browser;
let page: Page;
let worker: WorkerProcess;
let app: { server: Server; url: string };
let readOnly: { server: Server; url: string };

beforeAll(async () => {
  worker = spawnWorker({ DATABASE_URL: db.url, BACKIE_TEST_QUEUE: QUEUE, BACKIE_TEST_WORKERS: "2", BACKIE_TEST_MAX_RETRIES: "0" });
  app = await serve(createDashboard({ store, basePath: "/backie", refreshMs: 300 }));
  readOnly = await serve(createDashboard({ store, readOnly: true }));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // A step that cannot happen fails with its own message before the test's timeout.
  page.setDefaultTimeout(10_000);
  await worker.ready;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  app?.server.close();
  readOnly?.server.close();
  worker?.child.kill("SIGTERM");
  await worker?.exited;
  rmSync(fixDir, { recursive: true, force: true });
});

const screenshot = (name: string) => page.screenshot({ path: path.join(DOCS, `dashboard-${name}.png`), fullPage: true });

describe("dashboard in a real browser", () => {
  it("shows the queue and the running worker, and a task enqueued appears live without a reload", async () => {
    mkdirSync(DOCS, { recursive: true });
    await page.goto(`${app.url}/backie/`);
    await expect.poll(() => page.locator("#queues tr[data-queue=web]").count(), { timeout: 10_000 }).toBe(1);
    await page.goto(`${app.url}/backie/tasks?queue=${QUEUE}`);
    const [later] = await store.insertTasks([newTask("record", QUEUE, { sleepMs: 1 }, { delayMs: 3_600_000 })]);
    // The page refreshes itself: the new row shows up in the same document.
    await page.locator(`#tasks tr[data-id="${later!.id}"]`).waitFor({ timeout: 10_000 });
    // (Runs in the page: typed here without the DOM library.)
    const navigations = await page.evaluate(() => (globalThis as unknown as { performance: { getEntriesByType(type: string): unknown[] } }).performance.getEntriesByType("navigation").length);
    expect(navigations).toBe(1);
    await page.goto(`${app.url}/backie/workers`);
    await expect.poll(() => page.locator("#workers tbody tr").count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator("#workers").innerText()).toContain(String(worker.child.pid));
    await screenshot("workers");
  });

  it("swaps a page's content only when it changed, so that a click never lands on a replaced element", async () => {
    const [later] = await store.insertTasks([newTask("record", QUEUE, { note: "a & b <c>" }, { delayMs: 3_600_000 })]);
    for (const where of [`/backie/tasks/${later!.id}`, `/backie/tasks?queue=${QUEUE}`]) {
      await page.goto(`${app.url}${where}`);
      // Four refresh intervals (refreshMs 300) of an unchanged page: nothing swapped in.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await page.locator("main").getAttribute("data-refreshed"), where).toBeNull();
    }
  });

  it("opens a failed task, retries it after the fix, and sees it succeed", async () => {
    const [task] = await store.insertTasks([newTask("record", QUEUE, { failUnlessFile: fixFile }, { maxRetries: 0 })]);
    await eventually("the task to fail", async () => (await store.findTasks([task!.id]))[0]?.state === "failed");
    await page.goto(`${app.url}/backie/tasks?queue=${QUEUE}&state=failed`);
    await page.click(`#tasks tr[data-id="${task!.id}"] a`);
    await expect.poll(() => page.locator("h1").innerText()).toContain("failed");
    expect(await page.locator("section.error").first().innerText()).toContain("is missing");
    await screenshot("task");
    writeFileSync(fixFile, "");
    await page.click("button:has-text('Retry')");
    await expect.poll(() => page.locator("p.notice").innerText()).toContain(`task ${task!.id} will run again`);
    // Succeeded tasks are removed (removeDone): the page then says so.
    await eventually("the retried task to succeed", async () => (await store.findTasks([task!.id])).length === 0);
    await page.reload();
    expect(await page.locator("p.problem").innerText()).toContain(`no task ${task!.id}`);
  });

  it("pauses the queue: the worker stops claiming; resume lets it run", async () => {
    await page.goto(`${app.url}/backie/`);
    await page.click("#queues tr[data-queue=web] button:has-text('Pause')");
    await expect.poll(() => page.locator("#queues tr[data-queue=web] .paused").count()).toBe(1);
    await screenshot("overview");
    const [waiting] = await store.insertTasks([newTask("record", QUEUE, { sleepMs: 1 })]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await store.findTasks([waiting!.id]))[0]?.state).toBe("ready");
    await page.click("#queues tr[data-queue=web] button:has-text('Resume')");
    await eventually("the task to run after resume", async () => (await store.findTasks([waiting!.id])).length === 0);
  });

  it("retries every failed task of a filter in one action", async () => {
    rmSync(fixFile, { force: true });
    const failed = await store.insertTasks(Array.from({ length: 3 }, () => newTask("record", QUEUE, { failUnlessFile: fixFile }, { maxRetries: 0 })));
    const ids = failed.map((t) => t.id);
    await eventually("three failures", async () => (await store.findTasks(ids)).every((t) => t.state === "failed"));
    writeFileSync(fixFile, "");
    await page.goto(`${app.url}/backie/tasks?queue=${QUEUE}&task=record`);
    await screenshot("tasks");
    await page.click("button:has-text('Retry all failed')");
    await expect.poll(() => page.locator("p.notice").innerText()).toMatch(/retried [3-9]\d* task\(s\)/);
    await eventually("all three to succeed", async () => (await store.findTasks(ids)).length === 0);
  });

  it("keeps stored markup inert: a payload and an error message with <script> and onerror show as text", async () => {
    const evil = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
    const [task] = await store.insertTasks([newTask("record", QUEUE, { fail: true, message: evil, note: evil }, { maxRetries: 0 })]);
    await eventually("the task to fail", async () => (await store.findTasks([task!.id]))[0]?.state === "failed");
    await page.goto(`${app.url}/backie/tasks/${task!.id}`);
    expect(await page.locator("#payload").innerText()).toContain(JSON.stringify(evil).slice(1, -1));
    expect(await page.locator("section.error").first().innerText()).toContain(evil);
    expect(await page.locator("main img").count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
  });

  it("read-only mode shows no buttons and refuses writes; a forged cross-site form is refused", async () => {
    await page.goto(`${readOnly.url}/`);
    await expect.poll(() => page.locator("#queues").count()).toBe(1);
    expect(await page.locator("main button").count()).toBe(0);
    expect(await page.locator("header .mode").innerText()).toBe("read-only");
    const write = await fetch(`${readOnly.url}/queues/web/pause`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "_csrf=x" });
    expect(write.status).toBe(405);
    const forged = await fetch(`${app.url}/backie/queues/web/pause`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" }, body: "_csrf=x",
    });
    expect(forged.status).toBe(403);
    const noToken = await fetch(`${app.url}/backie/queues/web/pause`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" });
    expect(noToken.status).toBe(403);
    expect(await store.admin.pausedQueues()).toEqual([]);
    expect(existsSync(path.join(DOCS, "dashboard-overview.png"))).toBe(true);
  });

  it("draws throughput from the per-minute history the worker adds (no scan of task rows)", async () => {
    // The worker adds its counts every 10 s: by now it has run and failed tasks of this queue.
    await eventually("the worker's counts", async () => {
      const stats = (await store.admin.findStats(3_600_000)).filter((s) => s.queueName === QUEUE);
      return stats.reduce((n, s) => n + s.succeeded, 0) >= 4 && stats.reduce((n, s) => n + s.failed, 0) >= 4;
    }, 20_000);
    await page.goto(`${app.url}/backie/`);
    const caption = await page.locator("figure figcaption").first().innerText();
    expect(caption).toMatch(/^web, last hour per minute: ([4-9]|\d\d+) succeeded, ([4-9]|\d\d+) failed$/);
    expect(await page.locator("figure svg rect.ok").count()).toBeGreaterThan(0);
    await screenshot("overview");
    // A schedule as a starting worker writes it (this test's worker declares none).
    await store.schedules.reconcileSchedules(["nightly_report"], [{
      id: "nightly-report", taskName: "nightly_report", queueName: "reports", cron: "0 3 * * *", tz: "Europe/Berlin", payloadJson: "{}",
      maxRetries: 3, missed: "once", maxMissed: 100, overlap: "skip", nextAt: new Date(Date.now() + 3 * 3_600_000),
    }]);
    await page.goto(`${app.url}/backie/schedules`);
    expect(await page.locator("#schedules").innerText()).toMatch(/nightly-report\s+nightly_report\s+0 3 \* \* \*\s+Europe\/Berlin/);
    await screenshot("schedules");
  }, 30_000);
});
