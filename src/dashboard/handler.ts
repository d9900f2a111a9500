import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describeDatabaseError } from "../db/connection.js";
import { requestTarget } from "../requestTarget.js";
import { BackieError } from "../errors.js";
import { queueNameProblem } from "../names.js";
import { WORKER_STALE_MS } from "../worker/maintenance.js";
import { findUnrunnable } from "../worker/versionCoverage.js";
import type { TaskStore } from "../store/taskStore.js";
import { SCRIPT, STYLESHEET } from "./assets.js";
import type { Html } from "./html.js";
import { layout, type PageContext } from "./layout.js";
import { errorPage, overviewPage, schedulesPage, workersPage } from "./pages.js";
import { readForm, taskFilter } from "./requests.js";
import { taskPage, tasksPage } from "./taskPages.js";

/** What `authorize` is asked about: viewing, or one kind of write. */
export type DashboardAction = "view" | "retry" | "cancel" | "delete" | "pause" | "resume" | "bulk-retry" | "bulk-cancel";

export interface DashboardOptions {
  store: TaskStore;
  /** Path the dashboard is served under, e.g. "/backie" (default: the root). */
  basePath?: string;
  /** Writes are refused with 405 and no buttons are shown. */
  readOnly?: boolean;
  /** Called for every request with what it would do; false (or a throw) answers 403. */
  authorize?: (req: IncomingMessage, action: DashboardAction) => boolean | Promise<boolean>;
  /** Signs the forms' CSRF token. Give all instances behind one load balancer the same. Default: random per handler. */
  secret?: string;
  /** Task names this deploy defines: schedules of other tasks are flagged. */
  knownTasks?: readonly string[];
  /** How often open pages refresh themselves, in ms. Default 2,000. */
  refreshMs?: number;
  /**
   * Ids one tasks page looks through at most, so that a filter matching little never reads the
   * whole history (the page links to the next window). Default 100,000.
   */
  scanWindow?: number;
}

/** A request handler for Node's `http` (and Express, Fastify, Koa, Hono's node adapter). */
export type DashboardHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

const PAGE_SIZE = 50;
const BULK_BATCH = 1_000;
const HEADERS = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The dashboard as one request handler: server-rendered pages, progressive enhancement (every
 * page works without JavaScript; a small script refreshes them live), every write a POST with a
 * CSRF token. Mount it under `basePath`; requests outside it go to `next` (or get 404).
 */
export function createDashboard(options: DashboardOptions): DashboardHandler {
  const base = (options.basePath ?? "").replace(/\/+$/, "");
  if (base !== "" && !/^\/[\w\-./~]*$/.test(base)) throw new BackieError(`dashboard basePath must be a path such as "/backie", got "${base}"`);
  const csrfToken = createHmac("sha256", options.secret ?? randomBytes(32)).update("backie-dashboard-csrf").digest("hex");
  const known = options.knownTasks ? new Set(options.knownTasks) : undefined;
  const store = options.store;

  const handle = async (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> => {
    const url = requestTarget(req.url);
    if (url === undefined) throw new HttpError(400, `bad request target ${JSON.stringify((req.url ?? "").slice(0, 200))}`);
    let path = url.pathname;
    if (base !== "" && (path === base || path.startsWith(`${base}/`))) path = path.slice(base.length) || "/";
    else if (base !== "" && !(req as { originalUrl?: string }).originalUrl?.startsWith(base)) {
      // Not ours (Express strips its mount path from req.url and keeps originalUrl).
      if (next) return next();
      throw new HttpError(404, "not found");
    }
    const method = req.method ?? "GET";
    if (path === "/assets/app.css") return asset(res, "text/css", STYLESHEET);
    if (path === "/assets/app.js") return asset(res, "text/javascript", SCRIPT);
    const ctx: PageContext = { base, csrfToken, readOnly: options.readOnly ?? false, now: new Date(), notice: url.searchParams.get("notice") ?? undefined };

    if (method === "GET" || method === "HEAD") {
      await authorized(req, "view");
      const fragment = req.headers["x-backie-fragment"] === "1";
      const page = await render(path, url.searchParams, ctx);
      const body = fragment ? page.body.text : layout(ctx, { ...page, path }).text;
      return send(res, 200, "text/html; charset=utf-8", body, method === "HEAD");
    }
    if (method !== "POST") throw new HttpError(405, "only GET and POST");
    if (ctx.readOnly) {
      res.setHeader("Allow", "GET, HEAD");
      throw new HttpError(405, "this dashboard is read-only");
    }
    checkOrigin(req);
    const form = await readForm(req);
    const sent = Buffer.from(String(form.get("_csrf") ?? ""));
    const expected = Buffer.from(csrfToken);
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw new HttpError(403, "missing or wrong CSRF token: reload the page and try again");
    const { redirect, notice } = await perform(req, path, form);
    res.writeHead(303, { ...HEADERS, Location: `${base}${redirect}${redirect.includes("?") ? "&" : "?"}notice=${encodeURIComponent(notice)}` });
    res.end();
  };

  async function authorized(req: IncomingMessage, action: DashboardAction): Promise<void> {
    if (!options.authorize) return;
    let allowed = false;
    try {
      allowed = await options.authorize(req, action);
    } catch {
      allowed = false;
    }
    if (!allowed) throw new HttpError(403, `not allowed: ${action}`);
  }

  async function render(path: string, params: URLSearchParams, ctx: PageContext): Promise<{ title: string; body: Html; live?: number }> {
    const live = options.refreshMs ?? 2_000;
    if (path === "/") {
      const [counts, paused, stats, workers, unrunnable] = await Promise.all([
        store.admin.overview(), store.admin.pausedQueues(), store.admin.findStats(86_400_000), store.admin.listWorkers(WORKER_STALE_MS),
        findUnrunnable(store.admin, WORKER_STALE_MS),
      ]);
      const workerQueues = workers.workers.flatMap((w) => Object.keys(w.queues));
      return { title: "Overview", body: overviewPage(ctx, { counts, paused, stats, workerQueues, unrunnable }), live };
    }
    if (path === "/tasks") {
      const { form, filter } = taskFilter(params);
      const { tasks, floor } = await store.admin.findTaskPage(filter, PAGE_SIZE, options.scanWindow ?? 100_000);
      return { title: "Tasks", body: tasksPage(ctx, form, filter, tasks, PAGE_SIZE, floor), live };
    }
    const detail = /^\/tasks\/(\d{1,19})$/.exec(path);
    if (detail) {
      const [task] = await store.findTasks([detail[1]!]);
      if (!task) throw new HttpError(404, `no task ${detail[1]} (it may have finished and been removed)`);
      return { title: `Task #${task.id}`, body: taskPage(ctx, task), live };
    }
    if (path === "/workers") return { title: "Workers", body: workersPage(ctx, (await store.admin.listWorkers(WORKER_STALE_MS)).workers), live };
    if (path === "/schedules") return { title: "Schedules", body: schedulesPage(ctx, (await store.schedules.listSchedules()).schedules, known), live };
    throw new HttpError(404, "no such page");
  }

  async function perform(req: IncomingMessage, path: string, form: URLSearchParams): Promise<{ redirect: string; notice: string }> {
    const task = /^\/tasks\/(\d{1,19})\/(retry|cancel|delete)$/.exec(path);
    if (task) {
      const [, id, verb] = task as unknown as [string, string, "retry" | "cancel" | "delete"];
      await authorized(req, verb);
      const done = verb === "retry" ? await store.retryTask(id, { fromStart: form.get("fromStart") === "1" }) : verb === "cancel" ? (await store.cancelTask(id)) !== null : await store.admin.deleteTask(id);
      if (!done) throw new HttpError(409, `task ${id} cannot be ${verb === "retry" ? "retried" : verb === "cancel" ? "cancelled" : "deleted"} in its current state`);
      return verb === "delete" ? { redirect: "/tasks", notice: `task ${id} deleted` } : { redirect: `/tasks/${id}`, notice: `task ${id} ${verb === "retry" ? "will run again" : "cancelled"}` };
    }
    const queue = /^\/queues\/([^/]+)\/(pause|resume)$/.exec(path);
    if (queue) {
      const name = decode(queue[1]!);
      const problem = queueNameProblem(name);
      if (problem) throw new HttpError(400, `queue ${problem}`);
      const verb = queue[2] as "pause" | "resume";
      await authorized(req, verb);
      await store.admin.setQueuePaused(name, verb === "pause");
      return { redirect: "/", notice: `queue ${name} ${verb === "pause" ? "paused" : "resumed"}` };
    }
    const bulk = /^\/bulk\/(retry-failed|cancel-ready)$/.exec(path);
    if (bulk) {
      const { filter } = taskFilter(new URLSearchParams({ queue: form.get("queue") ?? "", task: form.get("task") ?? "" }));
      const verb = bulk[1] === "retry-failed" ? "bulk-retry" : "bulk-cancel";
      await authorized(req, verb);
      if (verb === "bulk-cancel" && !filter.queueName) throw new HttpError(400, "cancelling ready tasks needs a queue");
      let total = 0;
      for (;;) {
        const ids = verb === "bulk-retry" ? await store.admin.retryFailedTasks(filter, BULK_BATCH) : await store.admin.cancelReadyTasks(filter, BULK_BATCH);
        total += ids.length;
        if (ids.length < BULK_BATCH) break;
      }
      const back = new URLSearchParams({ ...(filter.queueName ? { queue: filter.queueName } : {}), ...(filter.taskName ? { task: filter.taskName } : {}) });
      return { redirect: `/tasks?${back.toString()}`, notice: `${verb === "bulk-retry" ? "retried" : "cancelled"} ${total} task(s)` };
    }
    throw new HttpError(404, "no such action");
  }

  return (req, res, next) => {
    handle(req, res, next).catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      const status = error instanceof HttpError ? error.status : error instanceof BackieError ? 400 : 500;
      const described = status === 500 ? describeDatabaseError(error) : undefined;
      const message = status === 500 ? described ?? "internal error (see the server's log)" : (error as Error).message;
      if (status === 500 && described === undefined) console.error("backie dashboard:", error);
      // The notice of an action stays on an error page: after "task 5 will run again" the task
      // may be done and removed before its page loads, and the action did happen.
      const notice = noticeOf(req.url);
      const ctx: PageContext = { base, csrfToken, readOnly: options.readOnly ?? false, now: new Date(), notice };
      send(res, status, "text/html; charset=utf-8", layout(ctx, { title: "Error", path: "", body: errorPage(message) }).text, req.method === "HEAD");
    });
  };
}

/** The `notice` a redirect after an action carries, if the URL parses at all. */
function noticeOf(url: string | undefined): string | undefined {
  return requestTarget(url)?.searchParams.get("notice") ?? undefined;
}

/** Writes from another site (a forged form) carry its Origin: refuse them before reading the token. */
function checkOrigin(req: IncomingMessage): void {
  if (req.headers["sec-fetch-site"] === "cross-site") throw new HttpError(403, "cross-site request refused");
  const origin = req.headers.origin;
  if (origin === undefined || origin === "null") return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new HttpError(403, "malformed Origin header");
  }
  if (host !== req.headers.host) throw new HttpError(403, "cross-origin request refused");
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "malformed path");
  }
}

function asset(res: ServerResponse, type: string, text: string): void {
  res.writeHead(200, { ...HEADERS, "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "public, max-age=300" });
  res.end(text);
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { ...HEADERS, "Content-Type": type, "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}
