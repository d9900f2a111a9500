import type { MinuteStats, PausedQueue, QueueStateCount, RegisteredWorker } from "../store/adminStore.js";
import type { StoredSchedule } from "../store/scheduleStore.js";
import { describeUnrunnable, type UnrunnableKind } from "../worker/versionCoverage.js";
import { throughputChart } from "./charts.js";
import { ago, html, query, time, type Html } from "./html.js";
import { action, type PageContext } from "./layout.js";

/** Overview: per queue, what waits, runs and failed, paused or not, and throughput charts. */
export function overviewPage(ctx: PageContext, data: {
  counts: readonly QueueStateCount[];
  paused: readonly PausedQueue[];
  stats: readonly MinuteStats[];
  /** Queues the running workers serve, shown even while empty. */
  workerQueues: readonly string[];
  /** Ready tasks no running worker can run. */
  unrunnable: ReadonlyArray<UnrunnableKind & { count: number }>;
}): Html {
  const queues = [...new Set([...data.counts.map((c) => c.queueName), ...data.paused.map((p) => p.queueName), ...data.stats.map((s) => s.queueName), ...data.workerQueues])].sort();
  const paused = new Set(data.paused.map((p) => p.queueName));
  const of = (queue: string, state: QueueStateCount["state"]) => data.counts.find((c) => c.queueName === queue && c.state === state);
  const rows = queues.map((queue) => {
    const ready = of(queue, "ready");
    const running = of(queue, "running");
    const failed = of(queue, "failed");
    const link = (state: string, n: number | undefined) => html`<a href="${ctx.base}/tasks${query({ queue, state })}">${n ?? 0}</a>`;
    const hour = data.stats.filter((s) => s.queueName === queue && s.minute.getTime() > ctx.now.getTime() - 3_600_000);
    return html`<tr data-queue="${queue}">
<td><a href="${ctx.base}/tasks${query({ queue })}">${queue}</a>${paused.has(queue) ? html` <span class="paused">paused</span>` : html``}</td>
<td class="num">${link("ready", ready?.count)}</td>
<td class="num">${ready?.later ?? 0}</td>
<td class="num">${link("running", running === undefined ? 0 : running.count - running.claimed)}</td>
<td class="num">${link("claimed", running?.claimed)}</td>
<td class="num">${link("failed", failed?.count)}</td>
<td class="num">${ready && ready.count > 0 ? ago(ready.waitSeconds * 1000) : "-"}</td>
<td class="num">${hour.reduce((n, s) => n + s.succeeded, 0)}</td>
<td class="num">${hour.reduce((n, s) => n + s.failed, 0)}</td>
<td>${paused.has(queue) ? action(ctx, `/queues/${encodeURIComponent(queue)}/resume`, "Resume") : action(ctx, `/queues/${encodeURIComponent(queue)}/pause`, "Pause")}</td>
</tr>`;
  });
  const charts = queues.map((queue) => html`<div>
${throughputChart(data.stats, queue, ctx.now, 3_600_000, 60_000, `${queue}, last hour per minute`)}
${throughputChart(data.stats, queue, ctx.now, 86_400_000, 1_800_000, `${queue}, last day per 30 minutes`)}
</div>`);
  const waiting = data.unrunnable.length === 0 ? html`` : html`<section id="unrunnable" class="problem" role="alert"><p>No running worker takes these:</p><ul>
${data.unrunnable.map((k) => html`<li><a href="${ctx.base}/tasks${query({ queue: k.queueName, task: k.taskName, state: "ready" })}">${describeUnrunnable(k)}</a></li>`)}</ul></section>`;
  return html`<h1>Overview</h1>
${waiting}
${queues.length === 0 ? html`<p class="muted">No queues yet: enqueue a task or start a worker.</p>` : html`
<table id="queues"><thead><tr><th>Queue</th><th class="num">Due</th><th class="num">Later</th><th class="num" title="Runs a worker has confirmed (its lease made full)">Running</th><th class="num" title="Held by a worker under a short reservation: prefetched, or started moments ago">Claimed</th><th class="num">Failed</th><th class="num">Oldest due waits</th><th class="num">Done last hour</th><th class="num">Failed last hour</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
<h2>Throughput</h2><div class="charts">${charts}</div>`}`;
}

export function workersPage(ctx: PageContext, workers: readonly RegisteredWorker[]): Html {
  return html`<h1>Workers</h1>
${workers.length === 0 ? html`<p class="muted">No running workers.</p>` : html`
<table id="workers"><thead><tr><th>Owner</th><th>Host</th><th class="num">PID</th><th class="num">Generation</th><th>Queues (concurrency)</th><th>Tasks (payload version)</th><th>Started</th><th class="num">Last seen</th></tr></thead><tbody>
${workers.map((w) => html`<tr><td>${w.owner}</td><td>${w.host}</td><td class="num">${w.pid}</td><td class="num">${w.generation ?? 0}</td>
<td>${Object.entries(w.queues).map(([q, n]) => `${q} ×${n}`).join(", ")}</td>
<td>${Object.entries(w.tasks ?? {}).map(([t, v]) => `${t} v${v}`).join(", ")}</td><td>${time(w.startedAt)}</td>
<td class="num">${ago(ctx.now.getTime() - w.lastSeenAt.getTime())} ago</td></tr>`)}
</tbody></table>`}`;
}

export function schedulesPage(ctx: PageContext, schedules: readonly StoredSchedule[], known: ReadonlySet<string> | undefined): Html {
  return html`<h1>Schedules</h1>
${schedules.length === 0 ? html`<p class="muted">No schedules: declare <code>schedules</code> on a task and start a worker.</p>` : html`
<table id="schedules"><thead><tr><th>Id</th><th>Task</th><th>Cron</th><th>Time zone</th><th>Last</th><th>Next</th><th>Missed</th><th>Overlap</th>${known ? html`<th>Task known</th>` : html``}</tr></thead><tbody>
${schedules.map((s) => html`<tr><td>${s.id}</td><td><a href="${ctx.base}/tasks${query({ task: s.taskName })}">${s.taskName}</a></td><td><code>${s.cron}</code></td><td>${s.tz}</td>
<td>${time(s.lastAt)}</td><td>${s.nextAt ? html`${time(s.nextAt)} <span class="muted">(${s.nextAt < ctx.now ? "overdue " : "in "}${ago(s.nextAt.getTime() - ctx.now.getTime())})</span>` : html`never`}</td>
<td>${s.missed === "all" ? `all (max ${s.maxMissed})` : s.missed}</td><td>${s.overlap}</td>${known ? html`<td>${known.has(s.taskName) ? "yes" : html`<span class="paused">no</span>`}</td>` : html``}</tr>`)}
</tbody></table>`}`;
}

export function errorPage(message: string): Html {
  return html`<h1>Something is wrong</h1><p class="problem" role="alert">${message}</p>`;
}
