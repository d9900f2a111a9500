/** Types generated for queries found in "sql/steps.sql" */
import { PreparedQuery } from '../preparedQuery.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type NumberOrString = number | string;

export type NumberOrStringArray = (NumberOrString)[];

export type numberArray = (number)[];

/** 'TaskStepsFindMany' parameters type */
export interface ITaskStepsFindManyParams {
  ids: NumberOrStringArray;
  tokens: numberArray;
}

/** 'TaskStepsFindMany' return type */
export interface ITaskStepsFindManyResult {
  id: string;
  steps: Json | null;
}

/** 'TaskStepsFindMany' query type */
export interface ITaskStepsFindManyQuery {
  params: ITaskStepsFindManyParams;
  result: ITaskStepsFindManyResult;
}

const taskStepsFindManyIR: any = {"usedParamSet":{"ids":true,"tokens":true},"params":[{"name":"ids","required":true,"transform":{"type":"scalar"},"locs":[{"a":303,"b":307}]},{"name":"tokens","required":true,"transform":{"type":"scalar"},"locs":[{"a":320,"b":327}]}],"statement":"-- Durable runs' histories (ctx.step, ctx.sleep, ctx.waitFor), read once per run at its first\n-- durable call, for every run of a pool that got there in the same moment: tasks that never\n-- call one never read it. Fenced: a run whose lease is gone gets no row.\nSELECT t.id AS \"id!\", t.steps\nFROM unnest(:ids!::bigint[], :tokens!::integer[]) AS l(id, token)\nJOIN backie_tasks t ON t.id = l.id AND t.lease_token = l.token AND (t.lease_owner IS NOT NULL OR l.token IS NULL)"};

/**
 * Query generated from SQL:
 * ```
 * -- Durable runs' histories (ctx.step, ctx.sleep, ctx.waitFor), read once per run at its first
 * -- durable call, for every run of a pool that got there in the same moment: tasks that never
 * -- call one never read it. Fenced: a run whose lease is gone gets no row.
 * SELECT t.id AS "id!", t.steps
 * FROM unnest(:ids!::bigint[], :tokens!::integer[]) AS l(id, token)
 * JOIN backie_tasks t ON t.id = l.id AND t.lease_token = l.token AND (t.lease_owner IS NOT NULL OR l.token IS NULL)
 * ```
 */
export const taskStepsFindMany = new PreparedQuery<ITaskStepsFindManyParams,ITaskStepsFindManyResult>(taskStepsFindManyIR);


/** 'TaskStepsAppendMany' parameters type */
export interface ITaskStepsAppendManyParams {
  items: Json;
}

/** 'TaskStepsAppendMany' return type */
export interface ITaskStepsAppendManyResult {
  id: string;
}

/** 'TaskStepsAppendMany' query type */
export interface ITaskStepsAppendManyQuery {
  params: ITaskStepsAppendManyParams;
  result: ITaskStepsAppendManyResult;
}

const taskStepsAppendManyIR: any = {"usedParamSet":{"items":true},"params":[{"name":"items","required":true,"transform":{"type":"scalar"},"locs":[{"a":475,"b":481}]}],"statement":"-- Records the next entry of runs' histories, the entries of every run of a pool that completed a\n-- step in the same moment in one statement. Fenced by the lease and by the position: a run that\n-- lost its lease, or lost a race to resume its task, cannot write an entry where another already\n-- stands. Returns the ids written; a missing one means \"stop\".\nUPDATE backie_tasks t\nSET steps = coalesce(t.steps, '[]'::jsonb) || jsonb_build_array(x.step)\nFROM jsonb_to_recordset(:items!::jsonb) AS x(id bigint, token integer, position integer, step jsonb)\nWHERE t.id = x.id AND t.lease_token = x.token AND (t.lease_owner IS NOT NULL OR x.token IS NULL)\n  AND coalesce(jsonb_array_length(t.steps), 0) = x.position\nRETURNING t.id AS \"id!\""};

/**
 * Query generated from SQL:
 * ```
 * -- Records the next entry of runs' histories, the entries of every run of a pool that completed a
 * -- step in the same moment in one statement. Fenced by the lease and by the position: a run that
 * -- lost its lease, or lost a race to resume its task, cannot write an entry where another already
 * -- stands. Returns the ids written; a missing one means "stop".
 * UPDATE backie_tasks t
 * SET steps = coalesce(t.steps, '[]'::jsonb) || jsonb_build_array(x.step)
 * FROM jsonb_to_recordset(:items!::jsonb) AS x(id bigint, token integer, position integer, step jsonb)
 * WHERE t.id = x.id AND t.lease_token = x.token AND (t.lease_owner IS NOT NULL OR x.token IS NULL)
 *   AND coalesce(jsonb_array_length(t.steps), 0) = x.position
 * RETURNING t.id AS "id!"
 * ```
 */
export const taskStepsAppendMany = new PreparedQuery<ITaskStepsAppendManyParams,ITaskStepsAppendManyResult>(taskStepsAppendManyIR);


/** 'TaskWaitResolve' parameters type */
export interface ITaskWaitResolveParams {
  id: NumberOrString;
  position: number;
  signal: string;
  timedOut: boolean;
  token: number;
}

/** 'TaskWaitResolve' return type */
export interface ITaskWaitResolveResult {
  result: Json;
}

/** 'TaskWaitResolve' query type */
export interface ITaskWaitResolveQuery {
  params: ITaskWaitResolveParams;
  result: ITaskWaitResolveResult;
}

const taskWaitResolveIR: any = {"usedParamSet":{"id":true,"token":true,"position":true,"signal":true,"timedOut":true},"params":[{"name":"id","required":true,"transform":{"type":"scalar"},"locs":[{"a":431,"b":434}]},{"name":"token","required":true,"transform":{"type":"scalar"},"locs":[{"a":456,"b":462}]},{"name":"position","required":true,"transform":{"type":"scalar"},"locs":[{"a":532,"b":541},{"a":1396,"b":1405}]},{"name":"signal","required":true,"transform":{"type":"scalar"},"locs":[{"a":760,"b":767}]},{"name":"timedOut","required":true,"transform":{"type":"scalar"},"locs":[{"a":985,"b":994}]}],"statement":"-- Resolves the wait at :position of a running task's history: the oldest signal named :signal in\n-- its inbox becomes the wait's result (and leaves the inbox), or with :timedOut and no such\n-- signal, the time-out does. Fenced by the lease. Nothing returned: no signal yet, so the run\n-- parks (and a signal sent after this wakes it: see TaskSignalSend).\nWITH target AS (\n  SELECT t.id, t.inbox FROM backie_tasks t\n  WHERE t.id = :id! AND t.lease_token = :token! AND t.lease_owner IS NOT NULL\n    AND jsonb_array_length(t.steps) > :position!::integer\n  FOR UPDATE\n), hit AS (\n  SELECT target.id, target.inbox,\n         (SELECT min(a.i) FROM jsonb_array_elements(coalesce(target.inbox, '[]'::jsonb)) WITH ORDINALITY AS a(e, i)\n          WHERE a.e ->> 'name' = :signal!::text) AS i\n  FROM target\n), outcome AS (\n  SELECT hit.id,\n         CASE WHEN hit.i IS NOT NULL THEN jsonb_build_object('received', true, 'payload', hit.inbox -> (hit.i::integer - 1) -> 'payload')\n              WHEN :timedOut!::boolean THEN jsonb_build_object('received', false, 'timedOut', true) END AS result,\n         CASE WHEN hit.i IS NULL THEN hit.inbox\n              ELSE (SELECT coalesce(jsonb_agg(a.e ORDER BY a.i), '[]'::jsonb)\n                    FROM jsonb_array_elements(hit.inbox) WITH ORDINALITY AS a(e, i) WHERE a.i <> hit.i) END AS inbox\n  FROM hit\n)\nUPDATE backie_tasks t\nSET steps = jsonb_set(t.steps, ARRAY[:position!::text, 'result'], o.result), inbox = o.inbox\nFROM outcome o\nWHERE t.id = o.id AND o.result IS NOT NULL\nRETURNING o.result AS \"result!\""};

/**
 * Query generated from SQL:
 * ```
 * -- Resolves the wait at :position of a running task's history: the oldest signal named :signal in
 * -- its inbox becomes the wait's result (and leaves the inbox), or with :timedOut and no such
 * -- signal, the time-out does. Fenced by the lease. Nothing returned: no signal yet, so the run
 * -- parks (and a signal sent after this wakes it: see TaskSignalSend).
 * WITH target AS (
 *   SELECT t.id, t.inbox FROM backie_tasks t
 *   WHERE t.id = :id! AND t.lease_token = :token! AND t.lease_owner IS NOT NULL
 *     AND jsonb_array_length(t.steps) > :position!::integer
 *   FOR UPDATE
 * ), hit AS (
 *   SELECT target.id, target.inbox,
 *          (SELECT min(a.i) FROM jsonb_array_elements(coalesce(target.inbox, '[]'::jsonb)) WITH ORDINALITY AS a(e, i)
 *           WHERE a.e ->> 'name' = :signal!::text) AS i
 *   FROM target
 * ), outcome AS (
 *   SELECT hit.id,
 *          CASE WHEN hit.i IS NOT NULL THEN jsonb_build_object('received', true, 'payload', hit.inbox -> (hit.i::integer - 1) -> 'payload')
 *               WHEN :timedOut!::boolean THEN jsonb_build_object('received', false, 'timedOut', true) END AS result,
 *          CASE WHEN hit.i IS NULL THEN hit.inbox
 *               ELSE (SELECT coalesce(jsonb_agg(a.e ORDER BY a.i), '[]'::jsonb)
 *                     FROM jsonb_array_elements(hit.inbox) WITH ORDINALITY AS a(e, i) WHERE a.i <> hit.i) END AS inbox
 *   FROM hit
 * )
 * UPDATE backie_tasks t
 * SET steps = jsonb_set(t.steps, ARRAY[:position!::text, 'result'], o.result), inbox = o.inbox
 * FROM outcome o
 * WHERE t.id = o.id AND o.result IS NOT NULL
 * RETURNING o.result AS "result!"
 * ```
 */
export const taskWaitResolve = new PreparedQuery<ITaskWaitResolveParams,ITaskWaitResolveResult>(taskWaitResolveIR);


/** 'TaskSignalSend' parameters type */
export interface ITaskSignalSendParams {
  id?: NumberOrString | null | void;
  maxInbox: number;
  name: string;
  payload: Json;
  taskName: string;
  uniqueKey?: string | null | void;
}

/** 'TaskSignalSend' return type */
export interface ITaskSignalSendResult {
  id: string;
}

/** 'TaskSignalSend' query type */
export interface ITaskSignalSendQuery {
  params: ITaskSignalSendParams;
  result: ITaskSignalSendResult;
}

const taskSignalSendIR: any = {"usedParamSet":{"taskName":true,"id":true,"uniqueKey":true,"name":true,"payload":true,"maxInbox":true},"params":[{"name":"taskName","required":true,"transform":{"type":"scalar"},"locs":[{"a":530,"b":539}]},{"name":"id","required":false,"transform":{"type":"scalar"},"locs":[{"a":591,"b":593},{"a":624,"b":626},{"a":647,"b":649}]},{"name":"uniqueKey","required":false,"transform":{"type":"scalar"},"locs":[{"a":711,"b":720},{"a":792,"b":801}]},{"name":"name","required":true,"transform":{"type":"scalar"},"locs":[{"a":952,"b":957},{"a":1104,"b":1109},{"a":1345,"b":1350}]},{"name":"payload","required":true,"transform":{"type":"scalar"},"locs":[{"a":977,"b":985}]},{"name":"maxInbox","required":true,"transform":{"type":"scalar"},"locs":[{"a":1508,"b":1517}]}],"statement":"-- Adds a signal to the inbox of a ready or running task of :taskName (by :id, or by its unique\n-- key); a task parked waiting for that signal is made due at once. This always updates the row,\n-- so it and a run parking at the same moment are serialised by the row lock, and each sees the\n-- other's write (the park re-reads the inbox of the row it updates). Returns nothing when no such\n-- task is ready or running, or its inbox holds :maxInbox signals already.\nWITH target AS (\n  SELECT id FROM backie_tasks\n  WHERE task_name = :taskName!::text AND state IN ('ready', 'running')\n    AND ((:id::bigint IS NOT NULL AND id = :id::bigint)\n      OR (:id::bigint IS NULL AND unique_key IS NOT NULL AND unique_key = :uniqueKey::text\n          AND backie_key_digest(unique_key) = backie_key_digest(:uniqueKey::text)))\n  LIMIT 1\n), sent AS (\n  UPDATE backie_tasks t\n  SET inbox = coalesce(t.inbox, '[]'::jsonb) || jsonb_build_array(jsonb_build_object('name', :name!::text, 'payload', :payload!::jsonb, 'at', now())),\n      scheduled_at = CASE WHEN t.state = 'ready' AND t.parked = 'waiting' AND t.waiting_for = :name!::text AND t.scheduled_at > now()\n                          THEN now() ELSE t.scheduled_at END,\n      -- Woken: back into the claim index at once.\n      parked = CASE WHEN t.state = 'ready' AND t.parked = 'waiting' AND t.waiting_for = :name!::text THEN NULL ELSE t.parked END\n  FROM target\n  WHERE t.id = target.id AND t.state IN ('ready', 'running') AND coalesce(jsonb_array_length(t.inbox), 0) < :maxInbox!::integer\n  RETURNING t.id, t.queue_name, t.state = 'ready' AND t.scheduled_at <= now() AS due\n), notified AS (\n  SELECT pg_notify('backie_tasks_ready', queue_name) FROM sent WHERE due\n)\nSELECT sent.id AS \"id!\" FROM sent LEFT JOIN notified ON true"};

/**
 * Query generated from SQL:
 * ```
 * -- Adds a signal to the inbox of a ready or running task of :taskName (by :id, or by its unique
 * -- key); a task parked waiting for that signal is made due at once. This always updates the row,
 * -- so it and a run parking at the same moment are serialised by the row lock, and each sees the
 * -- other's write (the park re-reads the inbox of the row it updates). Returns nothing when no such
 * -- task is ready or running, or its inbox holds :maxInbox signals already.
 * WITH target AS (
 *   SELECT id FROM backie_tasks
 *   WHERE task_name = :taskName!::text AND state IN ('ready', 'running')
 *     AND ((:id::bigint IS NOT NULL AND id = :id::bigint)
 *       OR (:id::bigint IS NULL AND unique_key IS NOT NULL AND unique_key = :uniqueKey::text
 *           AND backie_key_digest(unique_key) = backie_key_digest(:uniqueKey::text)))
 *   LIMIT 1
 * ), sent AS (
 *   UPDATE backie_tasks t
 *   SET inbox = coalesce(t.inbox, '[]'::jsonb) || jsonb_build_array(jsonb_build_object('name', :name!::text, 'payload', :payload!::jsonb, 'at', now())),
 *       scheduled_at = CASE WHEN t.state = 'ready' AND t.parked = 'waiting' AND t.waiting_for = :name!::text AND t.scheduled_at > now()
 *                           THEN now() ELSE t.scheduled_at END,
 *       -- Woken: back into the claim index at once.
 *       parked = CASE WHEN t.state = 'ready' AND t.parked = 'waiting' AND t.waiting_for = :name!::text THEN NULL ELSE t.parked END
 *   FROM target
 *   WHERE t.id = target.id AND t.state IN ('ready', 'running') AND coalesce(jsonb_array_length(t.inbox), 0) < :maxInbox!::integer
 *   RETURNING t.id, t.queue_name, t.state = 'ready' AND t.scheduled_at <= now() AS due
 * ), notified AS (
 *   SELECT pg_notify('backie_tasks_ready', queue_name) FROM sent WHERE due
 * )
 * SELECT sent.id AS "id!" FROM sent LEFT JOIN notified ON true
 * ```
 */
export const taskSignalSend = new PreparedQuery<ITaskSignalSendParams,ITaskSignalSendResult>(taskSignalSendIR);


