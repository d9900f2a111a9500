/** Types generated for queries found in "sql/admin.sql" */
import { PreparedQuery } from '../preparedQuery.js';

export type backie_task_state = 'cancelled' | 'done' | 'failed' | 'ready' | 'running';

export type DateOrString = Date | string;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type NumberOrString = number | string;

export type numberArray = (number)[];

export type stringArray = (string)[];

/** 'QueuePausedSet' parameters type */
export interface IQueuePausedSetParams {
  paused: boolean;
  queueName: string;
}

/** 'QueuePausedSet' return type */
export interface IQueuePausedSetResult {
  paused: boolean;
  queue_name: string;
}

/** 'QueuePausedSet' query type */
export interface IQueuePausedSetQuery {
  params: IQueuePausedSetParams;
  result: IQueuePausedSetResult;
}

const queuePausedSetIR: any = {"usedParamSet":{"queueName":true,"paused":true},"params":[{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":258,"b":268}]},{"name":"paused","required":true,"transform":{"type":"scalar"},"locs":[{"a":271,"b":278}]}],"statement":"-- Pauses or resumes a queue. A resume wakes idle workers at once (they would otherwise wait for\n-- their next poll); a pause takes effect at every worker's next claim.\nWITH changed AS (\n  INSERT INTO backie_queues (queue_name, paused, updated_at)\n  VALUES (:queueName!, :paused!, now())\n  ON CONFLICT (queue_name) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at\n  RETURNING queue_name, paused\n), notified AS (\n  SELECT pg_notify('backie_tasks_ready', queue_name) FROM changed WHERE NOT paused\n)\nSELECT changed.queue_name AS \"queue_name!\", changed.paused AS \"paused!\" FROM changed LEFT JOIN notified ON true"};

/**
 * Query generated from SQL:
 * ```
 * -- Pauses or resumes a queue. A resume wakes idle workers at once (they would otherwise wait for
 * -- their next poll); a pause takes effect at every worker's next claim.
 * WITH changed AS (
 *   INSERT INTO backie_queues (queue_name, paused, updated_at)
 *   VALUES (:queueName!, :paused!, now())
 *   ON CONFLICT (queue_name) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at
 *   RETURNING queue_name, paused
 * ), notified AS (
 *   SELECT pg_notify('backie_tasks_ready', queue_name) FROM changed WHERE NOT paused
 * )
 * SELECT changed.queue_name AS "queue_name!", changed.paused AS "paused!" FROM changed LEFT JOIN notified ON true
 * ```
 */
export const queuePausedSet = new PreparedQuery<IQueuePausedSetParams,IQueuePausedSetResult>(queuePausedSetIR);


/** 'QueuesFindPaused' parameters type */
export type IQueuesFindPausedParams = void;

/** 'QueuesFindPaused' return type */
export interface IQueuesFindPausedResult {
  queue_name: string;
  updated_at: Date;
}

/** 'QueuesFindPaused' query type */
export interface IQueuesFindPausedQuery {
  params: IQueuesFindPausedParams;
  result: IQueuesFindPausedResult;
}

const queuesFindPausedIR: any = {"usedParamSet":{},"params":[],"statement":"SELECT queue_name, updated_at FROM backie_queues WHERE paused ORDER BY queue_name"};

/**
 * Query generated from SQL:
 * ```
 * SELECT queue_name, updated_at FROM backie_queues WHERE paused ORDER BY queue_name
 * ```
 */
export const queuesFindPaused = new PreparedQuery<IQueuesFindPausedParams,IQueuesFindPausedResult>(queuesFindPausedIR);


/** 'WorkerRegister' parameters type */
export interface IWorkerRegisterParams {
  generation: number;
  host: string;
  owner: string;
  pid: number;
  queues: Json;
  staleMs: NumberOrString;
  tasks: Json;
}

/** 'WorkerRegister' return type */
export interface IWorkerRegisterResult {
  owner: string;
}

/** 'WorkerRegister' query type */
export interface IWorkerRegisterQuery {
  params: IWorkerRegisterParams;
  result: IWorkerRegisterResult;
}

const workerRegisterIR: any = {"usedParamSet":{"staleMs":true,"owner":true,"host":true,"pid":true,"queues":true,"tasks":true,"generation":true},"params":[{"name":"staleMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":161,"b":169}]},{"name":"owner","required":true,"transform":{"type":"scalar"},"locs":[{"a":289,"b":295}]},{"name":"host","required":true,"transform":{"type":"scalar"},"locs":[{"a":298,"b":303}]},{"name":"pid","required":true,"transform":{"type":"scalar"},"locs":[{"a":306,"b":310}]},{"name":"queues","required":true,"transform":{"type":"scalar"},"locs":[{"a":313,"b":320}]},{"name":"tasks","required":true,"transform":{"type":"scalar"},"locs":[{"a":330,"b":336}]},{"name":"generation","required":true,"transform":{"type":"scalar"},"locs":[{"a":346,"b":357}]}],"statement":"-- A starting pool: its row, and the rows of pools not seen for :staleMs (crashed) go.\nWITH stale AS (\n  DELETE FROM backie_workers WHERE last_seen_at < now() - :staleMs!::bigint * interval '1 millisecond'\n)\nINSERT INTO backie_workers (owner, host, pid, queues, tasks, generation)\nVALUES (:owner!, :host!, :pid!, :queues!::jsonb, :tasks!::jsonb, :generation!)\nON CONFLICT (owner) DO UPDATE SET host = excluded.host, pid = excluded.pid, queues = excluded.queues,\n  tasks = excluded.tasks, generation = excluded.generation, started_at = now(), last_seen_at = now()\nRETURNING owner"};

/**
 * Query generated from SQL:
 * ```
 * -- A starting pool: its row, and the rows of pools not seen for :staleMs (crashed) go.
 * WITH stale AS (
 *   DELETE FROM backie_workers WHERE last_seen_at < now() - :staleMs!::bigint * interval '1 millisecond'
 * )
 * INSERT INTO backie_workers (owner, host, pid, queues, tasks, generation)
 * VALUES (:owner!, :host!, :pid!, :queues!::jsonb, :tasks!::jsonb, :generation!)
 * ON CONFLICT (owner) DO UPDATE SET host = excluded.host, pid = excluded.pid, queues = excluded.queues,
 *   tasks = excluded.tasks, generation = excluded.generation, started_at = now(), last_seen_at = now()
 * RETURNING owner
 * ```
 */
export const workerRegister = new PreparedQuery<IWorkerRegisterParams,IWorkerRegisterResult>(workerRegisterIR);


/** 'WorkerTouch' parameters type */
export interface IWorkerTouchParams {
  generation: number;
  host: string;
  owner: string;
  pid: number;
  queues: Json;
  tasks: Json;
}

/** 'WorkerTouch' return type */
export interface IWorkerTouchResult {
  owner: string;
}

/** 'WorkerTouch' query type */
export interface IWorkerTouchQuery {
  params: IWorkerTouchParams;
  result: IWorkerTouchResult;
}

const workerTouchIR: any = {"usedParamSet":{"owner":true,"host":true,"pid":true,"queues":true,"tasks":true,"generation":true},"params":[{"name":"owner","required":true,"transform":{"type":"scalar"},"locs":[{"a":167,"b":173}]},{"name":"host","required":true,"transform":{"type":"scalar"},"locs":[{"a":176,"b":181}]},{"name":"pid","required":true,"transform":{"type":"scalar"},"locs":[{"a":184,"b":188}]},{"name":"queues","required":true,"transform":{"type":"scalar"},"locs":[{"a":191,"b":198}]},{"name":"tasks","required":true,"transform":{"type":"scalar"},"locs":[{"a":208,"b":214}]},{"name":"generation","required":true,"transform":{"type":"scalar"},"locs":[{"a":224,"b":235}]}],"statement":"-- Every heartbeat; a row deleted as stale meanwhile (a long pause) is written again.\nINSERT INTO backie_workers (owner, host, pid, queues, tasks, generation)\nVALUES (:owner!, :host!, :pid!, :queues!::jsonb, :tasks!::jsonb, :generation!)\nON CONFLICT (owner) DO UPDATE SET last_seen_at = now()\nRETURNING owner"};

/**
 * Query generated from SQL:
 * ```
 * -- Every heartbeat; a row deleted as stale meanwhile (a long pause) is written again.
 * INSERT INTO backie_workers (owner, host, pid, queues, tasks, generation)
 * VALUES (:owner!, :host!, :pid!, :queues!::jsonb, :tasks!::jsonb, :generation!)
 * ON CONFLICT (owner) DO UPDATE SET last_seen_at = now()
 * RETURNING owner
 * ```
 */
export const workerTouch = new PreparedQuery<IWorkerTouchParams,IWorkerTouchResult>(workerTouchIR);


/** 'WorkerDelete' parameters type */
export interface IWorkerDeleteParams {
  owner: string;
}

/** 'WorkerDelete' return type */
export interface IWorkerDeleteResult {
  owner: string;
}

/** 'WorkerDelete' query type */
export interface IWorkerDeleteQuery {
  params: IWorkerDeleteParams;
  result: IWorkerDeleteResult;
}

const workerDeleteIR: any = {"usedParamSet":{"owner":true},"params":[{"name":"owner","required":true,"transform":{"type":"scalar"},"locs":[{"a":41,"b":47}]}],"statement":"DELETE FROM backie_workers WHERE owner = :owner! RETURNING owner"};

/**
 * Query generated from SQL:
 * ```
 * DELETE FROM backie_workers WHERE owner = :owner! RETURNING owner
 * ```
 */
export const workerDelete = new PreparedQuery<IWorkerDeleteParams,IWorkerDeleteResult>(workerDeleteIR);


/** 'WorkersFindAll' parameters type */
export interface IWorkersFindAllParams {
  staleMs: NumberOrString;
}

/** 'WorkersFindAll' return type */
export interface IWorkersFindAllResult {
  generation: number;
  host: string;
  last_seen_at: Date;
  now: Date;
  owner: string;
  pid: number;
  queues: Json;
  started_at: Date;
  tasks: Json;
}

/** 'WorkersFindAll' query type */
export interface IWorkersFindAllQuery {
  params: IWorkersFindAllParams;
  result: IWorkersFindAllResult;
}

const workersFindAllIR: any = {"usedParamSet":{"staleMs":true},"params":[{"name":"staleMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":230,"b":238}]}],"statement":"-- Pools seen within :staleMs; older rows are crashed pools waiting to be cleaned up.\nSELECT owner, host, pid, queues, tasks, generation, started_at, last_seen_at, now() AS \"now!\"\nFROM backie_workers\nWHERE last_seen_at >= now() - :staleMs!::bigint * interval '1 millisecond'\nORDER BY started_at, owner"};

/**
 * Query generated from SQL:
 * ```
 * -- Pools seen within :staleMs; older rows are crashed pools waiting to be cleaned up.
 * SELECT owner, host, pid, queues, tasks, generation, started_at, last_seen_at, now() AS "now!"
 * FROM backie_workers
 * WHERE last_seen_at >= now() - :staleMs!::bigint * interval '1 millisecond'
 * ORDER BY started_at, owner
 * ```
 */
export const workersFindAll = new PreparedQuery<IWorkersFindAllParams,IWorkersFindAllResult>(workersFindAllIR);


/** 'TasksRetryFailedMany' parameters type */
export interface ITasksRetryFailedManyParams {
  limit: NumberOrString;
  queueName?: string | null | void;
  taskName?: string | null | void;
}

/** 'TasksRetryFailedMany' return type */
export interface ITasksRetryFailedManyResult {
  id: string;
}

/** 'TasksRetryFailedMany' query type */
export interface ITasksRetryFailedManyQuery {
  params: ITasksRetryFailedManyParams;
  result: ITasksRetryFailedManyResult;
}

const tasksRetryFailedManyIR: any = {"usedParamSet":{"queueName":true,"taskName":true,"limit":true},"params":[{"name":"queueName","required":false,"transform":{"type":"scalar"},"locs":[{"a":610,"b":619},{"a":653,"b":662}]},{"name":"taskName","required":false,"transform":{"type":"scalar"},"locs":[{"a":680,"b":688},{"a":721,"b":729}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":1078,"b":1084}]}],"statement":"-- Bulk retry by filter, at most :limit rows per call (the caller repeats until fewer come\n-- back). Rows are locked with SKIP LOCKED so that concurrent admins or workers never block or\n-- double-apply. Of failed tasks sharing a unique key only one is retried per call, and none\n-- while a ready or running task holds the key.\nUPDATE backie_tasks t\nSET state = 'ready', attempts = 0, scheduled_at = now(), finished_at = NULL, lease_confirmed_at = NULL\nWHERE t.id = ANY(ARRAY(\n  SELECT DISTINCT ON (f.task_name, coalesce(f.unique_key, f.id::text)) f.id\n  FROM backie_tasks f\n  WHERE f.state = 'failed'\n    AND (:queueName::text IS NULL OR f.queue_name = :queueName::text)\n    AND (:taskName::text IS NULL OR f.task_name = :taskName::text)\n    AND (f.unique_key IS NULL OR NOT EXISTS (\n      SELECT 1 FROM backie_tasks h\n      WHERE h.task_name = f.task_name AND backie_key_digest(h.unique_key) = backie_key_digest(f.unique_key)\n        AND h.unique_key = f.unique_key AND h.state IN ('ready', 'running')))\n  ORDER BY f.task_name, coalesce(f.unique_key, f.id::text), f.id\n  LIMIT :limit!\n))\nAND t.state = 'failed'\nRETURNING t.id"};

/**
 * Query generated from SQL:
 * ```
 * -- Bulk retry by filter, at most :limit rows per call (the caller repeats until fewer come
 * -- back). Rows are locked with SKIP LOCKED so that concurrent admins or workers never block or
 * -- double-apply. Of failed tasks sharing a unique key only one is retried per call, and none
 * -- while a ready or running task holds the key.
 * UPDATE backie_tasks t
 * SET state = 'ready', attempts = 0, scheduled_at = now(), finished_at = NULL, lease_confirmed_at = NULL
 * WHERE t.id = ANY(ARRAY(
 *   SELECT DISTINCT ON (f.task_name, coalesce(f.unique_key, f.id::text)) f.id
 *   FROM backie_tasks f
 *   WHERE f.state = 'failed'
 *     AND (:queueName::text IS NULL OR f.queue_name = :queueName::text)
 *     AND (:taskName::text IS NULL OR f.task_name = :taskName::text)
 *     AND (f.unique_key IS NULL OR NOT EXISTS (
 *       SELECT 1 FROM backie_tasks h
 *       WHERE h.task_name = f.task_name AND backie_key_digest(h.unique_key) = backie_key_digest(f.unique_key)
 *         AND h.unique_key = f.unique_key AND h.state IN ('ready', 'running')))
 *   ORDER BY f.task_name, coalesce(f.unique_key, f.id::text), f.id
 *   LIMIT :limit!
 * ))
 * AND t.state = 'failed'
 * RETURNING t.id
 * ```
 */
export const tasksRetryFailedMany = new PreparedQuery<ITasksRetryFailedManyParams,ITasksRetryFailedManyResult>(tasksRetryFailedManyIR);


/** 'TasksCancelReadyMany' parameters type */
export interface ITasksCancelReadyManyParams {
  limit: NumberOrString;
  queueName?: string | null | void;
  taskName?: string | null | void;
}

/** 'TasksCancelReadyMany' return type */
export interface ITasksCancelReadyManyResult {
  id: string;
}

/** 'TasksCancelReadyMany' query type */
export interface ITasksCancelReadyManyQuery {
  params: ITasksCancelReadyManyParams;
  result: ITasksCancelReadyManyResult;
}

const tasksCancelReadyManyIR: any = {"usedParamSet":{"queueName":true,"taskName":true,"limit":true},"params":[{"name":"queueName","required":false,"transform":{"type":"scalar"},"locs":[{"a":455,"b":464},{"a":498,"b":507},{"a":730,"b":739},{"a":773,"b":782}]},{"name":"taskName","required":false,"transform":{"type":"scalar"},"locs":[{"a":525,"b":533},{"a":566,"b":574},{"a":800,"b":808},{"a":841,"b":849}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":591,"b":597},{"a":866,"b":872}]}],"statement":"-- Bulk cancel of ready tasks by filter, at most :limit per call; rows a worker is claiming right\n-- now are skipped (SKIP LOCKED): they are running, not ready, a moment later.\nUPDATE backie_tasks t\nSET state = 'cancelled', finished_at = now()\n-- Unparked and parked (sleeping, waiting) ones through their own indexes: up to :limit of each.\nWHERE t.id = ANY(ARRAY(\n  SELECT r.id FROM backie_tasks r\n  WHERE r.state = 'ready' AND r.parked IS NULL\n    AND (:queueName::text IS NULL OR r.queue_name = :queueName::text)\n    AND (:taskName::text IS NULL OR r.task_name = :taskName::text)\n  LIMIT :limit!\n  FOR UPDATE SKIP LOCKED\n) || ARRAY(\n  SELECT r.id FROM backie_tasks r\n  WHERE r.state = 'ready' AND r.parked IS NOT NULL\n    AND (:queueName::text IS NULL OR r.queue_name = :queueName::text)\n    AND (:taskName::text IS NULL OR r.task_name = :taskName::text)\n  LIMIT :limit!\n  FOR UPDATE SKIP LOCKED\n))\nRETURNING t.id"};

/**
 * Query generated from SQL:
 * ```
 * -- Bulk cancel of ready tasks by filter, at most :limit per call; rows a worker is claiming right
 * -- now are skipped (SKIP LOCKED): they are running, not ready, a moment later.
 * UPDATE backie_tasks t
 * SET state = 'cancelled', finished_at = now()
 * -- Unparked and parked (sleeping, waiting) ones through their own indexes: up to :limit of each.
 * WHERE t.id = ANY(ARRAY(
 *   SELECT r.id FROM backie_tasks r
 *   WHERE r.state = 'ready' AND r.parked IS NULL
 *     AND (:queueName::text IS NULL OR r.queue_name = :queueName::text)
 *     AND (:taskName::text IS NULL OR r.task_name = :taskName::text)
 *   LIMIT :limit!
 *   FOR UPDATE SKIP LOCKED
 * ) || ARRAY(
 *   SELECT r.id FROM backie_tasks r
 *   WHERE r.state = 'ready' AND r.parked IS NOT NULL
 *     AND (:queueName::text IS NULL OR r.queue_name = :queueName::text)
 *     AND (:taskName::text IS NULL OR r.task_name = :taskName::text)
 *   LIMIT :limit!
 *   FOR UPDATE SKIP LOCKED
 * ))
 * RETURNING t.id
 * ```
 */
export const tasksCancelReadyMany = new PreparedQuery<ITasksCancelReadyManyParams,ITasksCancelReadyManyResult>(tasksCancelReadyManyIR);


/** 'TasksDeleteFinishedMany' parameters type */
export interface ITasksDeleteFinishedManyParams {
  limit: NumberOrString;
  olderThanMs: NumberOrString;
  queueName?: string | null | void;
  state?: string | null | void;
  taskName?: string | null | void;
}

/** 'TasksDeleteFinishedMany' return type */
export interface ITasksDeleteFinishedManyResult {
  id: string;
}

/** 'TasksDeleteFinishedMany' query type */
export interface ITasksDeleteFinishedManyQuery {
  params: ITasksDeleteFinishedManyParams;
  result: ITasksDeleteFinishedManyResult;
}

const tasksDeleteFinishedManyIR: any = {"usedParamSet":{"state":true,"queueName":true,"taskName":true,"olderThanMs":true,"limit":true},"params":[{"name":"state","required":false,"transform":{"type":"scalar"},"locs":[{"a":234,"b":239},{"a":274,"b":279}]},{"name":"queueName","required":false,"transform":{"type":"scalar"},"locs":[{"a":297,"b":306},{"a":340,"b":349}]},{"name":"taskName","required":false,"transform":{"type":"scalar"},"locs":[{"a":367,"b":375},{"a":408,"b":416}]},{"name":"olderThanMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":457,"b":469}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":514,"b":520}]}],"statement":"-- Bulk delete of finished rows older than :olderThanMs, by filter, at most :limit per call.\nDELETE FROM backie_tasks\nWHERE id = ANY(ARRAY(\n  SELECT d.id FROM backie_tasks d\n  WHERE d.state IN ('done', 'failed', 'cancelled')\n    AND (:state::text IS NULL OR d.state::text = :state::text)\n    AND (:queueName::text IS NULL OR d.queue_name = :queueName::text)\n    AND (:taskName::text IS NULL OR d.task_name = :taskName::text)\n    AND d.finished_at < now() - :olderThanMs!::bigint * interval '1 millisecond'\n  LIMIT :limit!\n  FOR UPDATE SKIP LOCKED\n))\nRETURNING id"};

/**
 * Query generated from SQL:
 * ```
 * -- Bulk delete of finished rows older than :olderThanMs, by filter, at most :limit per call.
 * DELETE FROM backie_tasks
 * WHERE id = ANY(ARRAY(
 *   SELECT d.id FROM backie_tasks d
 *   WHERE d.state IN ('done', 'failed', 'cancelled')
 *     AND (:state::text IS NULL OR d.state::text = :state::text)
 *     AND (:queueName::text IS NULL OR d.queue_name = :queueName::text)
 *     AND (:taskName::text IS NULL OR d.task_name = :taskName::text)
 *     AND d.finished_at < now() - :olderThanMs!::bigint * interval '1 millisecond'
 *   LIMIT :limit!
 *   FOR UPDATE SKIP LOCKED
 * ))
 * RETURNING id
 * ```
 */
export const tasksDeleteFinishedMany = new PreparedQuery<ITasksDeleteFinishedManyParams,ITasksDeleteFinishedManyResult>(tasksDeleteFinishedManyIR);


/** 'TaskDelete' parameters type */
export interface ITaskDeleteParams {
  id: NumberOrString;
}

/** 'TaskDelete' return type */
export interface ITaskDeleteResult {
  id: string;
}

/** 'TaskDelete' query type */
export interface ITaskDeleteQuery {
  params: ITaskDeleteParams;
  result: ITaskDeleteResult;
}

const taskDeleteIR: any = {"usedParamSet":{"id":true},"params":[{"name":"id","required":true,"transform":{"type":"scalar"},"locs":[{"a":140,"b":143}]}],"statement":"-- One finished or cancelled task (the dashboard's delete); ready and running ones are cancelled first.\nDELETE FROM backie_tasks WHERE id = :id! AND state IN ('done', 'failed', 'cancelled') RETURNING id"};

/**
 * Query generated from SQL:
 * ```
 * -- One finished or cancelled task (the dashboard's delete); ready and running ones are cancelled first.
 * DELETE FROM backie_tasks WHERE id = :id! AND state IN ('done', 'failed', 'cancelled') RETURNING id
 * ```
 */
export const taskDelete = new PreparedQuery<ITaskDeleteParams,ITaskDeleteResult>(taskDeleteIR);


/** 'StatsAddMany' parameters type */
export interface IStatsAddManyParams {
  owner: string;
  rows: Json;
}

/** 'StatsAddMany' return type */
export interface IStatsAddManyResult {
  added: number;
  pruned: number;
}

/** 'StatsAddMany' query type */
export interface IStatsAddManyQuery {
  params: IStatsAddManyParams;
  result: IStatsAddManyResult;
}

const statsAddManyIR: any = {"usedParamSet":{"rows":true,"owner":true},"params":[{"name":"rows","required":true,"transform":{"type":"scalar"},"locs":[{"a":193,"b":198}]},{"name":"owner","required":true,"transform":{"type":"scalar"},"locs":[{"a":435,"b":441}]}],"statement":"-- A pool's counts since its last call, added to the current minute's row of each queue; rows\n-- older than two days go in the same statement.\nWITH input AS (\n  SELECT * FROM json_to_recordset(:rows!::json) AS r(queue_name text, succeeded integer, failed integer, retried integer)\n), added AS (\n  INSERT INTO backie_stats AS s (minute, queue_name, owner, succeeded, failed, retried)\n  SELECT date_trunc('minute', now()), i.queue_name, :owner!, i.succeeded, i.failed, i.retried FROM input i\n  ON CONFLICT (minute, queue_name, owner) DO UPDATE SET\n    succeeded = s.succeeded + excluded.succeeded, failed = s.failed + excluded.failed, retried = s.retried + excluded.retried\n  RETURNING 1\n), pruned AS (\n  DELETE FROM backie_stats WHERE minute < now() - interval '2 days' RETURNING 1\n)\nSELECT (SELECT count(*) FROM added)::integer AS \"added!\", (SELECT count(*) FROM pruned)::integer AS \"pruned!\""};

/**
 * Query generated from SQL:
 * ```
 * -- A pool's counts since its last call, added to the current minute's row of each queue; rows
 * -- older than two days go in the same statement.
 * WITH input AS (
 *   SELECT * FROM json_to_recordset(:rows!::json) AS r(queue_name text, succeeded integer, failed integer, retried integer)
 * ), added AS (
 *   INSERT INTO backie_stats AS s (minute, queue_name, owner, succeeded, failed, retried)
 *   SELECT date_trunc('minute', now()), i.queue_name, :owner!, i.succeeded, i.failed, i.retried FROM input i
 *   ON CONFLICT (minute, queue_name, owner) DO UPDATE SET
 *     succeeded = s.succeeded + excluded.succeeded, failed = s.failed + excluded.failed, retried = s.retried + excluded.retried
 *   RETURNING 1
 * ), pruned AS (
 *   DELETE FROM backie_stats WHERE minute < now() - interval '2 days' RETURNING 1
 * )
 * SELECT (SELECT count(*) FROM added)::integer AS "added!", (SELECT count(*) FROM pruned)::integer AS "pruned!"
 * ```
 */
export const statsAddMany = new PreparedQuery<IStatsAddManyParams,IStatsAddManyResult>(statsAddManyIR);


/** 'StatsFindSince' parameters type */
export interface IStatsFindSinceParams {
  sinceMs: NumberOrString;
}

/** 'StatsFindSince' return type */
export interface IStatsFindSinceResult {
  failed: number;
  minute: Date;
  queue_name: string;
  retried: number;
  succeeded: number;
}

/** 'StatsFindSince' query type */
export interface IStatsFindSinceQuery {
  params: IStatsFindSinceParams;
  result: IStatsFindSinceResult;
}

const statsFindSinceIR: any = {"usedParamSet":{"sinceMs":true},"params":[{"name":"sinceMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":257,"b":265}]}],"statement":"-- Per minute and queue, every pool's counts summed, for the charts.\nSELECT minute, queue_name, sum(succeeded)::integer AS \"succeeded!\", sum(failed)::integer AS \"failed!\",\n       sum(retried)::integer AS \"retried!\"\nFROM backie_stats\nWHERE minute >= now() - :sinceMs!::bigint * interval '1 millisecond'\nGROUP BY minute, queue_name\nORDER BY minute, queue_name"};

/**
 * Query generated from SQL:
 * ```
 * -- Per minute and queue, every pool's counts summed, for the charts.
 * SELECT minute, queue_name, sum(succeeded)::integer AS "succeeded!", sum(failed)::integer AS "failed!",
 *        sum(retried)::integer AS "retried!"
 * FROM backie_stats
 * WHERE minute >= now() - :sinceMs!::bigint * interval '1 millisecond'
 * GROUP BY minute, queue_name
 * ORDER BY minute, queue_name
 * ```
 */
export const statsFindSince = new PreparedQuery<IStatsFindSinceParams,IStatsFindSinceResult>(statsFindSinceIR);


/** 'QueuesOverview' parameters type */
export type IQueuesOverviewParams = void;

/** 'QueuesOverview' return type */
export interface IQueuesOverviewResult {
  claimed: number;
  count: number;
  later: number;
  queue_name: string | null;
  sleeping: number;
  state: string;
  wait_seconds: number;
  waiting: number;
}

/** 'QueuesOverview' query type */
export interface IQueuesOverviewQuery {
  params: IQueuesOverviewParams;
  result: IQueuesOverviewResult;
}

const queuesOverviewIR: any = {"usedParamSet":{},"params":[],"statement":"-- Per queue: ready (due, and scheduled for later), running and failed counts, the longest wait of\n-- a due task and the longest run, in seconds by the database's clock (workers' clocks may drift).\n-- Of the running, `claimed`: a worker holds them under a reservation not yet confirmed as a run\n-- (prefetched, or started less than a quarter of a reservation ago): a busy worker holds up to\n-- 2,000 that way, which are not runs.\n-- Each state is read through its own partial index, so the size of the finished history costs\n-- nothing.\nSELECT r.queue_name, 'ready' AS \"state!\", sum(r.due)::integer AS \"count!\", sum(r.later)::integer AS \"later!\",\n       COALESCE(extract(epoch FROM now() - min(r.oldest)), 0)::float8 AS \"wait_seconds!\",\n       sum(r.sleeping)::integer AS \"sleeping!\", sum(r.waiting)::integer AS \"waiting!\", 0 AS \"claimed!\"\nFROM (\n  -- Ready ones through the claim index, and parked ones (sleeping, waiting: counted as later) through theirs.\n  SELECT queue_name, count(*) FILTER (WHERE scheduled_at <= now()) AS due, count(*) FILTER (WHERE scheduled_at > now()) AS later,\n         min(scheduled_at) FILTER (WHERE scheduled_at <= now()) AS oldest, 0 AS sleeping, 0 AS waiting\n  FROM backie_tasks WHERE state = 'ready' AND parked IS NULL GROUP BY queue_name\n  UNION ALL\n  SELECT queue_name, count(*) FILTER (WHERE scheduled_at <= now()), count(*) FILTER (WHERE scheduled_at > now()),\n         min(scheduled_at) FILTER (WHERE scheduled_at <= now()),\n         count(*) FILTER (WHERE parked = 'sleeping' AND scheduled_at > now()), count(*) FILTER (WHERE parked = 'waiting' AND scheduled_at > now())\n  FROM backie_tasks WHERE state = 'ready' AND parked IS NOT NULL GROUP BY queue_name\n) r GROUP BY r.queue_name\nUNION ALL\nSELECT queue_name, 'running', count(*)::integer, 0, COALESCE(extract(epoch FROM now() - min(started_at)), 0)::float8, 0, 0,\n       count(*) FILTER (WHERE lease_confirmed_at IS NULL)::integer\nFROM backie_tasks WHERE state = 'running' GROUP BY queue_name\nUNION ALL\nSELECT queue_name, 'failed', count(*)::integer, 0, 0::float8, 0, 0, 0\nFROM backie_tasks WHERE state = 'failed' GROUP BY queue_name"};

/**
 * Query generated from SQL:
 * ```
 * -- Per queue: ready (due, and scheduled for later), running and failed counts, the longest wait of
 * -- a due task and the longest run, in seconds by the database's clock (workers' clocks may drift).
 * -- Of the running, `claimed`: a worker holds them under a reservation not yet confirmed as a run
 * -- (prefetched, or started less than a quarter of a reservation ago): a busy worker holds up to
 * -- 2,000 that way, which are not runs.
 * -- Each state is read through its own partial index, so the size of the finished history costs
 * -- nothing.
 * SELECT r.queue_name, 'ready' AS "state!", sum(r.due)::integer AS "count!", sum(r.later)::integer AS "later!",
 *        COALESCE(extract(epoch FROM now() - min(r.oldest)), 0)::float8 AS "wait_seconds!",
 *        sum(r.sleeping)::integer AS "sleeping!", sum(r.waiting)::integer AS "waiting!", 0 AS "claimed!"
 * FROM (
 *   -- Ready ones through the claim index, and parked ones (sleeping, waiting: counted as later) through theirs.
 *   SELECT queue_name, count(*) FILTER (WHERE scheduled_at <= now()) AS due, count(*) FILTER (WHERE scheduled_at > now()) AS later,
 *          min(scheduled_at) FILTER (WHERE scheduled_at <= now()) AS oldest, 0 AS sleeping, 0 AS waiting
 *   FROM backie_tasks WHERE state = 'ready' AND parked IS NULL GROUP BY queue_name
 *   UNION ALL
 *   SELECT queue_name, count(*) FILTER (WHERE scheduled_at <= now()), count(*) FILTER (WHERE scheduled_at > now()),
 *          min(scheduled_at) FILTER (WHERE scheduled_at <= now()),
 *          count(*) FILTER (WHERE parked = 'sleeping' AND scheduled_at > now()), count(*) FILTER (WHERE parked = 'waiting' AND scheduled_at > now())
 *   FROM backie_tasks WHERE state = 'ready' AND parked IS NOT NULL GROUP BY queue_name
 * ) r GROUP BY r.queue_name
 * UNION ALL
 * SELECT queue_name, 'running', count(*)::integer, 0, COALESCE(extract(epoch FROM now() - min(started_at)), 0)::float8, 0, 0,
 *        count(*) FILTER (WHERE lease_confirmed_at IS NULL)::integer
 * FROM backie_tasks WHERE state = 'running' GROUP BY queue_name
 * UNION ALL
 * SELECT queue_name, 'failed', count(*)::integer, 0, 0::float8, 0, 0, 0
 * FROM backie_tasks WHERE state = 'failed' GROUP BY queue_name
 * ```
 */
export const queuesOverview = new PreparedQuery<IQueuesOverviewParams,IQueuesOverviewResult>(queuesOverviewIR);


/** 'TasksMaxId' parameters type */
export type ITasksMaxIdParams = void;

/** 'TasksMaxId' return type */
export interface ITasksMaxIdResult {
  max_id: string | null;
}

/** 'TasksMaxId' query type */
export interface ITasksMaxIdQuery {
  params: ITasksMaxIdParams;
  result: ITasksMaxIdResult;
}

const tasksMaxIdIR: any = {"usedParamSet":{},"params":[],"statement":"SELECT max(id) AS max_id FROM backie_tasks"};

/**
 * Query generated from SQL:
 * ```
 * SELECT max(id) AS max_id FROM backie_tasks
 * ```
 */
export const tasksMaxId = new PreparedQuery<ITasksMaxIdParams,ITasksMaxIdResult>(tasksMaxIdIR);


/** 'TasksFindPage' parameters type */
export interface ITasksFindPageParams {
  before?: NumberOrString | null | void;
  confirmed?: boolean | null | void;
  createdFrom?: DateOrString | null | void;
  createdTo?: DateOrString | null | void;
  floor: NumberOrString;
  id?: NumberOrString | null | void;
  limit: NumberOrString;
  payloadAny?: Json | null | void;
  payloadText?: string | null | void;
  queueName?: string | null | void;
  state?: backie_task_state | null | void;
  taskName?: string | null | void;
}

/** 'TasksFindPage' return type */
export interface ITasksFindPageResult {
  attempts: number;
  confirmed: boolean;
  created_at: Date;
  finished_at: Date | null;
  id: string;
  max_retries: number;
  queue_name: string;
  schedule_id: string | null;
  scheduled_at: Date;
  state: backie_task_state;
  task_name: string;
}

/** 'TasksFindPage' query type */
export interface ITasksFindPageQuery {
  params: ITasksFindPageParams;
  result: ITasksFindPageResult;
}

const tasksFindPageIR: any = {"usedParamSet":{"state":true,"confirmed":true,"queueName":true,"taskName":true,"id":true,"createdFrom":true,"createdTo":true,"payloadAny":true,"payloadText":true,"before":true,"floor":true,"limit":true},"params":[{"name":"state","required":false,"transform":{"type":"scalar"},"locs":[{"a":855,"b":860},{"a":900,"b":905}]},{"name":"confirmed","required":false,"transform":{"type":"scalar"},"locs":[{"a":934,"b":943},{"a":1000,"b":1009}]},{"name":"queueName","required":false,"transform":{"type":"scalar"},"locs":[{"a":1028,"b":1037},{"a":1069,"b":1078}]},{"name":"taskName","required":false,"transform":{"type":"scalar"},"locs":[{"a":1094,"b":1102},{"a":1133,"b":1141}]},{"name":"id","required":false,"transform":{"type":"scalar"},"locs":[{"a":1157,"b":1159},{"a":1185,"b":1187}]},{"name":"createdFrom","required":false,"transform":{"type":"scalar"},"locs":[{"a":1205,"b":1216},{"a":1256,"b":1267}]},{"name":"createdTo","required":false,"transform":{"type":"scalar"},"locs":[{"a":1290,"b":1299},{"a":1338,"b":1347}]},{"name":"payloadAny","required":false,"transform":{"type":"scalar"},"locs":[{"a":1370,"b":1380},{"a":1444,"b":1454}]},{"name":"payloadText","required":false,"transform":{"type":"scalar"},"locs":[{"a":1473,"b":1484},{"a":1538,"b":1549}]},{"name":"before","required":false,"transform":{"type":"scalar"},"locs":[{"a":1571,"b":1577},{"a":1603,"b":1609}]},{"name":"floor","required":true,"transform":{"type":"scalar"},"locs":[{"a":1631,"b":1637}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":1670,"b":1676}]}],"statement":"-- One page of tasks, newest first, by keyset (id < :before), never by offset. Every filter is\n-- optional; :payloadAny (a JSON array) matches tasks whose payload contains any of its elements\n-- (jsonb @>), :payloadText those whose payload's JSON text holds it, in any case. Only ids above :floor are\n-- looked at: a filter that matches little (or nothing) reads a bounded window of the newest rows,\n-- not the whole history; the caller offers the next window (\"search older\").\n-- :confirmed tells runs (a worker confirmed its lease) from tasks only claimed (prefetched, or\n-- started under a quarter of a reservation ago), as the overview does; NULL: either.\nSELECT id, task_name, queue_name, state, attempts, max_retries, created_at, scheduled_at, finished_at, schedule_id,\n       lease_confirmed_at IS NOT NULL AS \"confirmed!\"\nFROM backie_tasks\nWHERE (:state::backie_task_state IS NULL OR state = :state::backie_task_state)\n  AND (:confirmed::boolean IS NULL OR (lease_confirmed_at IS NOT NULL) = :confirmed::boolean)\n  AND (:queueName::text IS NULL OR queue_name = :queueName::text)\n  AND (:taskName::text IS NULL OR task_name = :taskName::text)\n  AND (:id::bigint IS NULL OR id = :id::bigint)\n  AND (:createdFrom::timestamptz IS NULL OR created_at >= :createdFrom::timestamptz)\n  AND (:createdTo::timestamptz IS NULL OR created_at < :createdTo::timestamptz)\n  AND (:payloadAny::jsonb IS NULL OR payload @> ANY (SELECT jsonb_array_elements(:payloadAny::jsonb)))\n  AND (:payloadText::text IS NULL OR strpos(lower(payload::text), lower(:payloadText::text)) > 0)\n  AND (:before::bigint IS NULL OR id < :before::bigint)\n  AND id > :floor!::bigint\nORDER BY id DESC\nLIMIT :limit!"};

/**
 * Query generated from SQL:
 * ```
 * -- One page of tasks, newest first, by keyset (id < :before), never by offset. Every filter is
 * -- optional; :payloadAny (a JSON array) matches tasks whose payload contains any of its elements
 * -- (jsonb @>), :payloadText those whose payload's JSON text holds it, in any case. Only ids above :floor are
 * -- looked at: a filter that matches little (or nothing) reads a bounded window of the newest rows,
 * -- not the whole history; the caller offers the next window ("search older").
 * -- :confirmed tells runs (a worker confirmed its lease) from tasks only claimed (prefetched, or
 * -- started under a quarter of a reservation ago), as the overview does; NULL: either.
 * SELECT id, task_name, queue_name, state, attempts, max_retries, created_at, scheduled_at, finished_at, schedule_id,
 *        lease_confirmed_at IS NOT NULL AS "confirmed!"
 * FROM backie_tasks
 * WHERE (:state::backie_task_state IS NULL OR state = :state::backie_task_state)
 *   AND (:confirmed::boolean IS NULL OR (lease_confirmed_at IS NOT NULL) = :confirmed::boolean)
 *   AND (:queueName::text IS NULL OR queue_name = :queueName::text)
 *   AND (:taskName::text IS NULL OR task_name = :taskName::text)
 *   AND (:id::bigint IS NULL OR id = :id::bigint)
 *   AND (:createdFrom::timestamptz IS NULL OR created_at >= :createdFrom::timestamptz)
 *   AND (:createdTo::timestamptz IS NULL OR created_at < :createdTo::timestamptz)
 *   AND (:payloadAny::jsonb IS NULL OR payload @> ANY (SELECT jsonb_array_elements(:payloadAny::jsonb)))
 *   AND (:payloadText::text IS NULL OR strpos(lower(payload::text), lower(:payloadText::text)) > 0)
 *   AND (:before::bigint IS NULL OR id < :before::bigint)
 *   AND id > :floor!::bigint
 * ORDER BY id DESC
 * LIMIT :limit!
 * ```
 */
export const tasksFindPage = new PreparedQuery<ITasksFindPageParams,ITasksFindPageResult>(tasksFindPageIR);


/** 'MetricsSnapshotFind' parameters type */
export interface IMetricsSnapshotFindParams {
  maxAgeMs: NumberOrString;
}

/** 'MetricsSnapshotFind' return type */
export interface IMetricsSnapshotFindResult {
  computed_at: Date;
  queues: Json;
  stale: boolean;
}

/** 'MetricsSnapshotFind' query type */
export interface IMetricsSnapshotFindQuery {
  params: IMetricsSnapshotFindParams;
  result: IMetricsSnapshotFindResult;
}

const metricsSnapshotFindIR: any = {"usedParamSet":{"maxAgeMs":true},"params":[{"name":"maxAgeMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":136,"b":145}]}],"statement":"-- The cluster's last depth and lag snapshot, and whether it is older than :maxAgeMs.\nSELECT computed_at, queues, computed_at < now() - :maxAgeMs!::bigint * interval '1 millisecond' AS \"stale!\"\nFROM backie_metrics_snapshot WHERE id = 1"};

/**
 * Query generated from SQL:
 * ```
 * -- The cluster's last depth and lag snapshot, and whether it is older than :maxAgeMs.
 * SELECT computed_at, queues, computed_at < now() - :maxAgeMs!::bigint * interval '1 millisecond' AS "stale!"
 * FROM backie_metrics_snapshot WHERE id = 1
 * ```
 */
export const metricsSnapshotFind = new PreparedQuery<IMetricsSnapshotFindParams,IMetricsSnapshotFindResult>(metricsSnapshotFindIR);


/** 'MetricsSnapshotTake' parameters type */
export interface IMetricsSnapshotTakeParams {
  maxAgeMs: NumberOrString;
  owner: string;
}

/** 'MetricsSnapshotTake' return type */
export interface IMetricsSnapshotTakeResult {
  owner: string | null;
}

/** 'MetricsSnapshotTake' query type */
export interface IMetricsSnapshotTakeQuery {
  params: IMetricsSnapshotTakeParams;
  result: IMetricsSnapshotTakeResult;
}

const metricsSnapshotTakeIR: any = {"usedParamSet":{"owner":true,"maxAgeMs":true},"params":[{"name":"owner","required":true,"transform":{"type":"scalar"},"locs":[{"a":142,"b":148}]},{"name":"maxAgeMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":189,"b":198}]}],"statement":"-- Takes the turn to compute: only one pool wins while the snapshot is stale.\nUPDATE backie_metrics_snapshot SET computed_at = now(), owner = :owner!\nWHERE id = 1 AND computed_at < now() - :maxAgeMs!::bigint * interval '1 millisecond'\nRETURNING owner"};

/**
 * Query generated from SQL:
 * ```
 * -- Takes the turn to compute: only one pool wins while the snapshot is stale.
 * UPDATE backie_metrics_snapshot SET computed_at = now(), owner = :owner!
 * WHERE id = 1 AND computed_at < now() - :maxAgeMs!::bigint * interval '1 millisecond'
 * RETURNING owner
 * ```
 */
export const metricsSnapshotTake = new PreparedQuery<IMetricsSnapshotTakeParams,IMetricsSnapshotTakeResult>(metricsSnapshotTakeIR);


/** 'MetricsSnapshotStore' parameters type */
export interface IMetricsSnapshotStoreParams {
  owner: string;
  queues: Json;
}

/** 'MetricsSnapshotStore' return type */
export interface IMetricsSnapshotStoreResult {
  id: number;
}

/** 'MetricsSnapshotStore' query type */
export interface IMetricsSnapshotStoreQuery {
  params: IMetricsSnapshotStoreParams;
  result: IMetricsSnapshotStoreResult;
}

const metricsSnapshotStoreIR: any = {"usedParamSet":{"queues":true,"owner":true},"params":[{"name":"queues","required":true,"transform":{"type":"scalar"},"locs":[{"a":44,"b":51}]},{"name":"owner","required":true,"transform":{"type":"scalar"},"locs":[{"a":85,"b":91}]}],"statement":"UPDATE backie_metrics_snapshot SET queues = :queues!::jsonb WHERE id = 1 AND owner = :owner! RETURNING id"};

/**
 * Query generated from SQL:
 * ```
 * UPDATE backie_metrics_snapshot SET queues = :queues!::jsonb WHERE id = 1 AND owner = :owner! RETURNING id
 * ```
 */
export const metricsSnapshotStore = new PreparedQuery<IMetricsSnapshotStoreParams,IMetricsSnapshotStoreResult>(metricsSnapshotStoreIR);


/** 'TaskKindsFindReady' parameters type */
export interface ITaskKindsFindReadyParams {
  limit: NumberOrString;
}

/** 'TaskKindsFindReady' return type */
export interface ITaskKindsFindReadyResult {
  payload_version: number;
  queue_name: string;
  task_name: string;
}

/** 'TaskKindsFindReady' query type */
export interface ITaskKindsFindReadyQuery {
  params: ITaskKindsFindReadyParams;
  result: ITaskKindsFindReadyResult;
}

const taskKindsFindReadyIR: any = {"usedParamSet":{"limit":true},"params":[{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":960,"b":966}]}],"statement":"-- The distinct (queue, name, payload version) of ready tasks (not parked ones: they wait by design), by a skip scan of the claim index:\n-- one index probe per kind, however many rows each has, so a pool may run it every minute.\nWITH RECURSIVE kinds AS (\n  (SELECT queue_name, task_name, payload_version FROM backie_tasks WHERE state = 'ready' AND parked IS NULL\n   ORDER BY queue_name, task_name, payload_version LIMIT 1)\n  UNION ALL\n  SELECT next.queue_name, next.task_name, next.payload_version\n  FROM kinds, LATERAL (\n    SELECT t.queue_name, t.task_name, t.payload_version FROM backie_tasks t\n    WHERE t.state = 'ready' AND t.parked IS NULL\n      AND (t.queue_name, t.task_name, t.payload_version) > (kinds.queue_name, kinds.task_name, kinds.payload_version)\n    ORDER BY t.queue_name, t.task_name, t.payload_version LIMIT 1\n  ) next\n)\nSELECT queue_name AS \"queue_name!\", task_name AS \"task_name!\", payload_version AS \"payload_version!\" FROM kinds LIMIT :limit!"};

/**
 * Query generated from SQL:
 * ```
 * -- The distinct (queue, name, payload version) of ready tasks (not parked ones: they wait by design), by a skip scan of the claim index:
 * -- one index probe per kind, however many rows each has, so a pool may run it every minute.
 * WITH RECURSIVE kinds AS (
 *   (SELECT queue_name, task_name, payload_version FROM backie_tasks WHERE state = 'ready' AND parked IS NULL
 *    ORDER BY queue_name, task_name, payload_version LIMIT 1)
 *   UNION ALL
 *   SELECT next.queue_name, next.task_name, next.payload_version
 *   FROM kinds, LATERAL (
 *     SELECT t.queue_name, t.task_name, t.payload_version FROM backie_tasks t
 *     WHERE t.state = 'ready' AND t.parked IS NULL
 *       AND (t.queue_name, t.task_name, t.payload_version) > (kinds.queue_name, kinds.task_name, kinds.payload_version)
 *     ORDER BY t.queue_name, t.task_name, t.payload_version LIMIT 1
 *   ) next
 * )
 * SELECT queue_name AS "queue_name!", task_name AS "task_name!", payload_version AS "payload_version!" FROM kinds LIMIT :limit!
 * ```
 */
export const taskKindsFindReady = new PreparedQuery<ITaskKindsFindReadyParams,ITaskKindsFindReadyResult>(taskKindsFindReadyIR);


/** 'TaskKindsCount' parameters type */
export interface ITaskKindsCountParams {
  queueNames: stringArray;
  taskNames: stringArray;
  versions: numberArray;
}

/** 'TaskKindsCount' return type */
export interface ITaskKindsCountResult {
  count: number;
  payload_version: number;
  queue_name: string;
  task_name: string;
}

/** 'TaskKindsCount' query type */
export interface ITaskKindsCountQuery {
  params: ITaskKindsCountParams;
  result: ITaskKindsCountResult;
}

const taskKindsCountIR: any = {"usedParamSet":{"queueNames":true,"taskNames":true,"versions":true},"params":[{"name":"queueNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":236,"b":247}]},{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":258,"b":268}]},{"name":"versions","required":true,"transform":{"type":"scalar"},"locs":[{"a":279,"b":288}]}],"statement":"-- How many ready tasks each (queue, name, version) has, each read as one range of the claim index.\nSELECT k.queue_name AS \"queue_name!\", k.task_name AS \"task_name!\", k.payload_version AS \"payload_version!\", c.n AS \"count!\"\nFROM unnest(:queueNames!::text[], :taskNames!::text[], :versions!::integer[]) AS k(queue_name, task_name, payload_version)\nCROSS JOIN LATERAL (\n  SELECT count(*)::integer AS n FROM backie_tasks t\n  WHERE t.state = 'ready' AND t.parked IS NULL AND t.queue_name = k.queue_name AND t.task_name = k.task_name AND t.payload_version = k.payload_version\n) c"};

/**
 * Query generated from SQL:
 * ```
 * -- How many ready tasks each (queue, name, version) has, each read as one range of the claim index.
 * SELECT k.queue_name AS "queue_name!", k.task_name AS "task_name!", k.payload_version AS "payload_version!", c.n AS "count!"
 * FROM unnest(:queueNames!::text[], :taskNames!::text[], :versions!::integer[]) AS k(queue_name, task_name, payload_version)
 * CROSS JOIN LATERAL (
 *   SELECT count(*)::integer AS n FROM backie_tasks t
 *   WHERE t.state = 'ready' AND t.parked IS NULL AND t.queue_name = k.queue_name AND t.task_name = k.task_name AND t.payload_version = k.payload_version
 * ) c
 * ```
 */
export const taskKindsCount = new PreparedQuery<ITaskKindsCountParams,ITaskKindsCountResult>(taskKindsCountIR);


/** 'TasksFindPendingPage' parameters type */
export interface ITasksFindPendingPageParams {
  after: NumberOrString;
  limit: NumberOrString;
}

/** 'TasksFindPendingPage' return type */
export interface ITasksFindPendingPageResult {
  id: string;
  payload: Json;
  payload_version: number;
  queue_name: string;
  state: backie_task_state;
  task_name: string;
}

/** 'TasksFindPendingPage' query type */
export interface ITasksFindPendingPageQuery {
  params: ITasksFindPendingPageParams;
  result: ITasksFindPendingPageResult;
}

const tasksFindPendingPageIR: any = {"usedParamSet":{"after":true,"limit":true},"params":[{"name":"after","required":true,"transform":{"type":"scalar"},"locs":[{"a":377,"b":383}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":411,"b":417}]}],"statement":"-- Ready and running tasks with their payloads, by keyset on id (`backie check`): each page its own\n-- short read-only statement, no row locks and no snapshot held between pages, so claims and\n-- vacuum never wait for a check however long it runs.\nSELECT id, task_name, queue_name, state, payload_version, payload\nFROM backie_tasks\nWHERE state IN ('ready', 'running') AND id > :after!::bigint\nORDER BY id\nLIMIT :limit!"};

/**
 * Query generated from SQL:
 * ```
 * -- Ready and running tasks with their payloads, by keyset on id (`backie check`): each page its own
 * -- short read-only statement, no row locks and no snapshot held between pages, so claims and
 * -- vacuum never wait for a check however long it runs.
 * SELECT id, task_name, queue_name, state, payload_version, payload
 * FROM backie_tasks
 * WHERE state IN ('ready', 'running') AND id > :after!::bigint
 * ORDER BY id
 * LIMIT :limit!
 * ```
 */
export const tasksFindPendingPage = new PreparedQuery<ITasksFindPendingPageParams,ITasksFindPendingPageResult>(tasksFindPendingPageIR);


/** 'TasksFindEnqueued' parameters type */
export interface ITasksFindEnqueuedParams {
  afterId: NumberOrString;
  limit: NumberOrString;
  taskName?: string | null | void;
}

/** 'TasksFindEnqueued' return type */
export interface ITasksFindEnqueuedResult {
  id: string;
  parked: string | null;
  payload: Json;
  priority: number;
  queue_name: string;
  scheduled_at: Date;
  task_name: string;
  unique_key: string | null;
}

/** 'TasksFindEnqueued' query type */
export interface ITasksFindEnqueuedQuery {
  params: ITasksFindEnqueuedParams;
  result: ITasksFindEnqueuedResult;
}

const tasksFindEnqueuedIR: any = {"usedParamSet":{"afterId":true,"taskName":true,"limit":true},"params":[{"name":"afterId","required":true,"transform":{"type":"scalar"},"locs":[{"a":305,"b":313}]},{"name":"taskName","required":false,"transform":{"type":"scalar"},"locs":[{"a":328,"b":336},{"a":367,"b":375}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":402,"b":408}]}],"statement":"-- Ready tasks (due, scheduled for later, or parked) with ids above :afterId, oldest first,\n-- optionally of one name: what a test asserts was enqueued (backie/testing).\nSELECT id, task_name, queue_name, payload, priority, unique_key, scheduled_at, parked\nFROM backie_tasks\nWHERE state = 'ready' AND id > :afterId!::bigint AND (:taskName::text IS NULL OR task_name = :taskName::text)\nORDER BY id\nLIMIT :limit!"};

/**
 * Query generated from SQL:
 * ```
 * -- Ready tasks (due, scheduled for later, or parked) with ids above :afterId, oldest first,
 * -- optionally of one name: what a test asserts was enqueued (backie/testing).
 * SELECT id, task_name, queue_name, payload, priority, unique_key, scheduled_at, parked
 * FROM backie_tasks
 * WHERE state = 'ready' AND id > :afterId!::bigint AND (:taskName::text IS NULL OR task_name = :taskName::text)
 * ORDER BY id
 * LIMIT :limit!
 * ```
 */
export const tasksFindEnqueued = new PreparedQuery<ITasksFindEnqueuedParams,ITasksFindEnqueuedResult>(tasksFindEnqueuedIR);


/** 'TablesTruncate' parameters type */
export type ITablesTruncateParams = void;

/** 'TablesTruncate' return type */
export type ITablesTruncateResult = void;

/** 'TablesTruncate' query type */
export interface ITablesTruncateQuery {
  params: ITablesTruncateParams;
  result: ITablesTruncateResult;
}

const tablesTruncateIR: any = {"usedParamSet":{},"params":[],"statement":"-- Every row Backie stores, gone, ids from 1 again: a test kit's reset between tests (backie/testing).\n-- Never run by workers or the CLI.\nTRUNCATE backie_tasks, backie_schedules, backie_queues, backie_workers, backie_stats, backie_metrics_snapshot,\n         backie_rate_limits, backie_fan_ins, backie_fan_in_children RESTART IDENTITY"};

/**
 * Query generated from SQL:
 * ```
 * -- Every row Backie stores, gone, ids from 1 again: a test kit's reset between tests (backie/testing).
 * -- Never run by workers or the CLI.
 * TRUNCATE backie_tasks, backie_schedules, backie_queues, backie_workers, backie_stats, backie_metrics_snapshot,
 *          backie_rate_limits, backie_fan_ins, backie_fan_in_children RESTART IDENTITY
 * ```
 */
export const tablesTruncate = new PreparedQuery<ITablesTruncateParams,ITablesTruncateResult>(tablesTruncateIR);


