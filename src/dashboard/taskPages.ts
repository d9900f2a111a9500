import type { TaskPageFilter, TaskSummary } from "../store/adminStore.js";
import type { StoredTask } from "../store/taskStore.js";
import type { StepEntry } from "../store/stepStore.js";
import { html, query, time, type Html } from "./html.js";
import { action, type PageContext } from "./layout.js";

const STATES = ["ready", "running", "claimed", "done", "failed", "cancelled"] as const;
/**
 * A task's state as the list and its page show it: a running row whose run no worker confirmed
 * is `claimed` (see TaskPageFilter.state).
 */
function stateMark(tag: "td" | "span", state: string, claimed: boolean): Html {
  const shown = claimed ? "claimed" : state;
  const title = claimed ? html` title="held by a worker, not yet confirmed as a run: prefetched, or started moments ago"` : html``;
  return tag === "td" ? html`<td class="state-${shown}"${title}>${shown}</td>` : html`<span class="state-${shown}"${title}>${shown}</span>`;
}

/** The filter form's values as the user typed them (echoed back, escaped). */
export interface TaskFilterForm {
  queue?: string | undefined;
  task?: string | undefined;
  state?: string | undefined;
  id?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  payload?: string | undefined;
}

export function tasksPage(ctx: PageContext, form: TaskFilterForm, filter: TaskPageFilter, tasks: readonly TaskSummary[], pageSize: number, floor: string): Html {
  const keep = { queue: form.queue, task: form.task, state: form.state, id: form.id, from: form.from, to: form.to, payload: form.payload };
  // A full page continues below its last row; a short one searched its whole window: go below it.
  const next = tasks.length === pageSize ? tasks[tasks.length - 1]!.id : floor !== "0" ? String(BigInt(floor) + 1n) : undefined;
  const field = (name: keyof TaskFilterForm, label: string, placeholder = "") =>
    html`<label>${label}<input name="${name}" value="${form[name] ?? ""}" placeholder="${placeholder}"></label>`;
  return html`<h1>Tasks</h1>
<form class="filters" method="get" action="${ctx.base}/tasks">
${field("queue", "Queue")}${field("task", "Task name")}
<label>State<select name="state"><option value="">any</option>${STATES.map((s) => html`<option${form.state === s ? html` selected` : html``}>${s}</option>`)}</select></label>
${field("id", "Id")}${field("from", "Created from", "2026-01-31T00:00Z")}${field("to", "Created before", "2026-02-01")}
${field("payload", "Payload (text, key=value or JSON)", "accountId=acme")}
<button type="submit">Filter</button>
</form>
${filter.payload ? html`<p id="payload-filter" class="muted">Payload ${filter.payload.description}.</p>` : html``}
${bulkActions(ctx, filter)}
${tasks.length === 0 ? html`<p class="muted">No tasks match${floor !== "0" ? html` among ids above #${floor}` : html``}.</p>` : html`
<table id="tasks"><thead><tr><th>Id</th><th>Task</th><th>Queue</th><th>State</th><th class="num">Attempts</th><th>Created</th><th>Scheduled</th><th>Finished</th></tr></thead><tbody>
${tasks.map((t) => html`<tr data-id="${t.id}"><td><a href="${ctx.base}/tasks/${t.id}">#${t.id}</a></td><td>${t.taskName}${t.scheduleId ? html` <span class="muted" title="schedule ${t.scheduleId}">⏱</span>` : html``}</td>
<td>${t.queueName}</td>${stateMark("td", t.state, t.claimed)}<td class="num">${t.attempts}/${t.maxRetries + 1}</td>
<td>${time(t.createdAt)}</td><td>${time(t.scheduledAt)}</td><td>${time(t.finishedAt)}</td></tr>`)}
</tbody></table>`}
<p class="pager">${filter.before ? html`<a href="${ctx.base}/tasks${query(keep)}">Newest</a> ` : html``}${next ? html`<a rel="next" href="${ctx.base}/tasks${query({ ...keep, before: next })}">${tasks.length === pageSize ? "Older →" : `Search ids up to #${floor} →`}</a>` : html``}</p>`;
}

/** Bulk retry / cancel of everything matching the queue and task filters (not just this page). */
function bulkActions(ctx: PageContext, filter: TaskPageFilter): Html {
  if (ctx.readOnly) return html``;
  const fields: Record<string, string> = {};
  if (filter.queueName) fields.queue = filter.queueName;
  if (filter.taskName) fields.task = filter.taskName;
  const scope = [filter.queueName && `queue ${filter.queueName}`, filter.taskName && `task ${filter.taskName}`].filter(Boolean).join(", ") || "all queues";
  return html`<p>Bulk, for ${scope}:
${action(ctx, "/bulk/retry-failed", "Retry all failed", fields)}
${filter.queueName ? action(ctx, "/bulk/cancel-ready", "Cancel all ready", fields, true) : html`<span class="muted">(choose a queue to cancel its ready tasks)</span>`}</p>`;
}

export function taskPage(ctx: PageContext, task: StoredTask): Html {
  const path = `/tasks/${task.id}`;
  const actions = [
    task.state === "failed" || task.state === "cancelled" ? action(ctx, `${path}/retry`, "Retry") : html``,
    (task.state === "failed" || task.state === "cancelled") && task.steps.length > 0 ? action(ctx, `${path}/retry`, "Retry from the first step", { fromStart: "1" }) : html``,
    task.state === "ready" || task.state === "running" ? action(ctx, `${path}/cancel`, "Cancel", {}, true) : html``,
    task.state === "done" || task.state === "failed" || task.state === "cancelled" ? action(ctx, `${path}/delete`, "Delete", {}, true) : html``,
  ];
  const errors = Array.isArray(task.errors) ? task.errors : [];
  return html`<h1>Task #${task.id} ${stateMark("span", task.state, task.state === "running" && !task.leaseConfirmed)}</h1>
<p>${actions}</p>
<dl>
<dt>Task</dt><dd><a href="${ctx.base}/tasks${query({ task: task.taskName })}">${task.taskName}</a></dd>
<dt>Queue</dt><dd><a href="${ctx.base}/tasks${query({ queue: task.queueName })}">${task.queueName}</a></dd>
<dt>Payload version</dt><dd id="payload-version">${task.payloadVersion === 0 ? "0 (none recorded)" : String(task.payloadVersion)}</dd>
<dt>Attempts</dt><dd>${task.attempts} of ${task.maxRetries + 1}</dd>
<dt>Priority</dt><dd>${task.priority}</dd>
<dt>Unique key</dt><dd>${task.uniqueKey ?? "-"}</dd>
<dt>Created</dt><dd>${time(task.createdAt)}</dd>
<dt>Scheduled</dt><dd>${time(task.scheduledAt)}</dd>
<dt>Started</dt><dd>${time(task.startedAt)}</dd>
<dt>Finished</dt><dd>${time(task.finishedAt)}</dd>
<dt>Lease</dt><dd>${task.leaseOwner ? html`${task.leaseOwner} until ${time(task.leaseExpiresAt)}` : html`-`}</dd>
<dt>Schedule</dt><dd>${task.scheduleId ? html`${task.scheduleId}, occurrence ${time(task.scheduleFor)}` : html`-`}</dd>
<dt>Progress</dt><dd id="progress">${task.progress === null ? html`-` : html`<code>${JSON.stringify(task.progress)}</code> at ${time(task.progressAt)}`}</dd>
${task.state === "ready" && task.parked ? html`<dt>Parked</dt><dd id="parked">${task.parked === "sleeping" ? html`sleeping until ${time(task.scheduledAt)}`
    : html`waiting for signal <code>${task.waitingFor ?? "?"}</code>${task.scheduledAt.getTime() >= NEVER ? html`` : html`, time-out ${time(task.scheduledAt)}`}`}</dd>` : html``}
${task.inbox.length > 0 ? html`<dt>Signals not yet taken</dt><dd id="inbox">${task.inbox.map((s) => s.name).join(", ")}</dd>` : html``}
</dl>
${task.steps.length === 0 ? html`` : html`<h2>Steps (${task.steps.length})</h2>
<table id="steps"><thead><tr><th class="num">#</th><th>Kind</th><th>Id</th><th>Outcome</th><th>At</th></tr></thead><tbody>
${task.steps.map((s, i) => html`<tr><td class="num">${i + 1}</td><td>${text(s.kind)}</td><td>${text(s.id)}</td><td>${stepOutcome(s)}</td><td>${text(s.at)}</td></tr>`)}
</tbody></table>`}
<h2>Payload</h2>
<pre id="payload">${JSON.stringify(task.payload, null, 2)}</pre>
<h2>Errors (${errors.length})</h2>
${errors.length === 0 ? html`<p class="muted">None.</p>` : errors.map((e: unknown) => {
    const error = (e ?? {}) as { attempt?: unknown; kind?: unknown; message?: unknown; stack?: unknown; at?: unknown };
    return html`<section class="error"><p><strong>Attempt ${text(error.attempt)}</strong> (${text(error.kind)}) at ${text(error.at)}: ${text(error.message)}</p>
${typeof error.stack === "string" ? html`<pre>${error.stack}</pre>` : html``}</section>`;
  })}`;
}

/** 'infinity' (a wait without a time-out), as pg reads it. */
const NEVER = 8_640_000_000_000_000;

/** One history entry's outcome: a step's time and result size, a sleep's end, a wait's state. */
function stepOutcome(entry: StepEntry): string {
  if (entry.kind === "sleep") return `until ${text(entry.until)}`;
  if (entry.kind === "wait") {
    const result = entry.result as { received?: unknown } | undefined;
    return `signal ${text(entry.signal)}: ${result === undefined ? "waiting" : result.received === true ? "received" : "timed out"}`;
  }
  const size = entry.result === undefined ? "no result" : `result ${JSON.stringify(entry.result).length} characters`;
  return `${text(entry.ms)} ms, ${size}`;
}

/** A stored error field as text: rows written by hand may hold anything there. */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return value === undefined || value === null ? "?" : JSON.stringify(value);
}
