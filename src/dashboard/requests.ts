import type { IncomingMessage } from "node:http";
import { BackieError } from "../errors.js";
import { queueNameProblem } from "../names.js";
import { textProblem } from "../payload.js";
import { parsePayloadFilter } from "./payloadFilter.js";
import type { TaskPageFilter } from "../store/adminStore.js";
import type { TaskFilterForm } from "./taskPages.js";

const MAX_FORM_BYTES = 16_384;
const STATES = ["ready", "running", "claimed", "done", "failed", "cancelled"];
const MAX_ID = 9_223_372_036_854_775_807n;

/**
 * A POST's form fields. Reads the body itself, or takes what a framework's body parser already
 * read (Express `req.body`). Only url-encoded forms, at most 16 KB.
 */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const parsed = (req as { body?: unknown }).body;
  if (parsed !== null && typeof parsed === "object" && !Buffer.isBuffer(parsed)) {
    return new URLSearchParams(Object.entries(parsed as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]));
  }
  const type = String(req.headers["content-type"] ?? "").split(";")[0]!.trim();
  if (type !== "application/x-www-form-urlencoded") throw new BackieError("a dashboard write must be a form post (application/x-www-form-urlencoded)");
  if (typeof parsed === "string") return new URLSearchParams(parsed);
  if (Buffer.isBuffer(parsed)) return new URLSearchParams(parsed.toString("utf8"));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new BackieError(`form too large (over ${MAX_FORM_BYTES} bytes)`);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** The tasks page's query: the form as typed, and the checked filter. One-line errors name the field. */
export function taskFilter(params: URLSearchParams): { form: TaskFilterForm; filter: TaskPageFilter } {
  const get = (name: string): string | undefined => {
    const value = params.get(name)?.trim();
    if (value === undefined || value === "") return undefined;
    if (value.length > 2_000) throw new BackieError(`filter ${name} is longer than 2000 characters`);
    const problem = textProblem(value);
    if (problem) throw new BackieError(`filter ${name} ${problem}`);
    return value;
  };
  const form: TaskFilterForm = {
    queue: get("queue"), task: get("task"), state: get("state"), id: get("id"), from: get("from"), to: get("to"), payload: get("payload"),
  };
  const filter: TaskPageFilter = {};
  if (form.queue !== undefined) {
    const problem = queueNameProblem(form.queue);
    if (problem) throw new BackieError(`filter queue ${problem}`);
    filter.queueName = form.queue;
  }
  if (form.task !== undefined) filter.taskName = form.task;
  if (form.state !== undefined) {
    if (!STATES.includes(form.state)) throw new BackieError(`filter state must be one of ${STATES.join(", ")}`);
    filter.state = form.state as TaskPageFilter["state"];
  }
  if (form.id !== undefined) filter.id = id("id", form.id);
  const before = get("before");
  if (before !== undefined) filter.before = id("before", before);
  if (form.from !== undefined) filter.createdFrom = date("from", form.from);
  if (form.to !== undefined) filter.createdTo = date("to", form.to);
  if (form.payload !== undefined) filter.payload = parsePayloadFilter(form.payload);
  return { form, filter };
}

function id(name: string, value: string): string {
  if (!/^\d{1,19}$/.test(value) || BigInt(value) < 1n || BigInt(value) > MAX_ID) throw new BackieError(`filter ${name} must be a task id (a whole number)`);
  return String(BigInt(value));
}

function date(name: string, value: string): Date {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < Date.parse("0001-01-01T00:00:00Z") || ms > Date.parse("9999-12-31T23:59:59Z")) {
    throw new BackieError(`filter ${name} must be a date such as 2026-01-31 or 2026-01-31T12:00Z`);
  }
  return new Date(ms);
}
