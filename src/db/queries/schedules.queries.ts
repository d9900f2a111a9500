/** Types generated for queries found in "sql/schedules.sql" */
import { PreparedQuery } from '../preparedQuery.js';

export type DateOrString = Date | string;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type NumberOrString = number | string;

export type stringArray = (string)[];

/** 'ScheduleReconcileLockTake' parameters type */
export interface IScheduleReconcileLockTakeParams {
  lockKey: NumberOrString;
}

/** 'ScheduleReconcileLockTake' return type */
export interface IScheduleReconcileLockTakeResult {
  locked: undefined | null;
}

/** 'ScheduleReconcileLockTake' query type */
export interface IScheduleReconcileLockTakeQuery {
  params: IScheduleReconcileLockTakeParams;
  result: IScheduleReconcileLockTakeResult;
}

const scheduleReconcileLockTakeIR: any = {"usedParamSet":{"lockKey":true},"params":[{"name":"lockKey","required":true,"transform":{"type":"scalar"},"locs":[{"a":309,"b":317}]}],"statement":"-- Schedules: rows of `backie_schedules`, one per declared schedule. Workers starting together\n-- reconcile one after the other (a transaction-scoped advisory lock), so their deletes and\n-- upserts never interleave into a deadlock. Clock: the database's, optionally :now (tests).\nSELECT pg_advisory_xact_lock(:lockKey!::bigint) AS \"locked\""};

/**
 * Query generated from SQL:
 * ```
 * -- Schedules: rows of `backie_schedules`, one per declared schedule. Workers starting together
 * -- reconcile one after the other (a transaction-scoped advisory lock), so their deletes and
 * -- upserts never interleave into a deadlock. Clock: the database's, optionally :now (tests).
 * SELECT pg_advisory_xact_lock(:lockKey!::bigint) AS "locked"
 * ```
 */
export const scheduleReconcileLockTake = new PreparedQuery<IScheduleReconcileLockTakeParams,IScheduleReconcileLockTakeResult>(scheduleReconcileLockTakeIR);


/** 'ScheduleClockRead' parameters type */
export interface IScheduleClockReadParams {
  now?: DateOrString | null | void;
}

/** 'ScheduleClockRead' return type */
export interface IScheduleClockReadResult {
  now: Date;
}

/** 'ScheduleClockRead' query type */
export interface IScheduleClockReadQuery {
  params: IScheduleClockReadParams;
  result: IScheduleClockReadResult;
}

const scheduleClockReadIR: any = {"usedParamSet":{"now":true},"params":[{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":16,"b":19}]}],"statement":"SELECT coalesce(:now::timestamptz, now()) AS \"now!\""};

/**
 * Query generated from SQL:
 * ```
 * SELECT coalesce(:now::timestamptz, now()) AS "now!"
 * ```
 */
export const scheduleClockRead = new PreparedQuery<IScheduleClockReadParams,IScheduleClockReadResult>(scheduleClockReadIR);


/** 'SchedulesReconcile' parameters type */
export interface ISchedulesReconcileParams {
  generation: number;
  now?: DateOrString | null | void;
  schedules: Json;
  taskNames: stringArray;
}

/** 'SchedulesReconcile' return type */
export interface ISchedulesReconcileResult {
  change: string;
  id: string;
}

/** 'SchedulesReconcile' query type */
export interface ISchedulesReconcileQuery {
  params: ISchedulesReconcileParams;
  result: ISchedulesReconcileResult;
}

const schedulesReconcileIR: any = {"usedParamSet":{"schedules":true,"taskNames":true,"generation":true,"now":true},"params":[{"name":"schedules","required":true,"transform":{"type":"scalar"},"locs":[{"a":722,"b":732}]},{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":1089,"b":1099}]},{"name":"generation","required":true,"transform":{"type":"scalar"},"locs":[{"a":1191,"b":1202},{"a":1673,"b":1684},{"a":1891,"b":1902}]},{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":2612,"b":2615}]}],"statement":"-- Makes the rows of the tasks named in :taskNames exactly the declared :schedules. Rows of other\n-- tasks belong to other deploys and stay. A declared id held by another task moves to this one\n-- (a renamed task keeps its schedule's state). An unchanged row is not written; a changed\n-- expression or time zone takes the declared next_at, anything else keeps its place in time.\n-- Ownership follows the newest deploy: a row written by a higher :generation (the manifest's) is\n-- neither changed nor deleted here, so an old pool (re)starting during a rolling deploy or after\n-- a rollback writes nothing back (the newer definitions stay until that generation runs again).\nWITH input AS (\n  SELECT * FROM json_to_recordset(:schedules!::json) AS s(\n    id text, task_name text, queue_name text, cron text, time_zone text, payload jsonb,\n    max_retries integer, missed text, max_missed integer, overlap text, next_at timestamptz, concurrency_key text,\n    payload_version integer, priority integer, unique_key text)\n), removed AS (\n  DELETE FROM backie_schedules s\n  WHERE s.task_name = ANY(:taskNames!::text[]) AND NOT EXISTS (SELECT 1 FROM input i WHERE i.id = s.id)\n    AND s.generation <= :generation!::integer\n  RETURNING s.id\n), upserted AS (\n  INSERT INTO backie_schedules AS s (\n    id, task_name, queue_name, cron, time_zone, payload, max_retries, missed, max_missed, overlap, next_at, concurrency_key,\n    payload_version, priority, unique_key, generation)\n  SELECT i.id, i.task_name, i.queue_name, i.cron, i.time_zone, i.payload, i.max_retries, i.missed,\n         i.max_missed, i.overlap, i.next_at, i.concurrency_key, i.payload_version, i.priority, i.unique_key, :generation!::integer\n  FROM input i\n  -- A task a newer deploy has schedules of gets none added by an older one.\n  WHERE NOT EXISTS (SELECT 1 FROM backie_schedules o WHERE o.task_name = i.task_name AND o.generation > :generation!::integer)\n  ORDER BY i.id\n  ON CONFLICT (id) DO UPDATE SET\n    task_name = excluded.task_name, queue_name = excluded.queue_name, cron = excluded.cron,\n    time_zone = excluded.time_zone, payload = excluded.payload, max_retries = excluded.max_retries,\n    missed = excluded.missed, max_missed = excluded.max_missed, overlap = excluded.overlap,\n    concurrency_key = excluded.concurrency_key, payload_version = excluded.payload_version,\n    priority = excluded.priority, unique_key = excluded.unique_key, generation = excluded.generation,\n    next_at = CASE WHEN s.cron = excluded.cron AND s.time_zone = excluded.time_zone THEN s.next_at\n                   ELSE excluded.next_at END,\n    updated_at = coalesce(:now::timestamptz, now())\n  WHERE s.generation <= excluded.generation\n    AND (s.task_name, s.queue_name, s.cron, s.time_zone, s.payload, s.max_retries, s.missed, s.max_missed, s.overlap,\n         s.concurrency_key, s.payload_version, s.priority, s.unique_key, s.generation)\n    IS DISTINCT FROM (excluded.task_name, excluded.queue_name, excluded.cron, excluded.time_zone, excluded.payload,\n                      excluded.max_retries, excluded.missed, excluded.max_missed, excluded.overlap,\n                      excluded.concurrency_key, excluded.payload_version, excluded.priority, excluded.unique_key,\n                      excluded.generation)\n  RETURNING s.id, (s.xmax = 0) AS added\n)\nSELECT id AS \"id!\", 'removed' AS \"change!\" FROM removed\nUNION ALL\nSELECT id, CASE WHEN added THEN 'added' ELSE 'changed' END FROM upserted"};

/**
 * Query generated from SQL:
 * ```
 * -- Makes the rows of the tasks named in :taskNames exactly the declared :schedules. Rows of other
 * -- tasks belong to other deploys and stay. A declared id held by another task moves to this one
 * -- (a renamed task keeps its schedule's state). An unchanged row is not written; a changed
 * -- expression or time zone takes the declared next_at, anything else keeps its place in time.
 * -- Ownership follows the newest deploy: a row written by a higher :generation (the manifest's) is
 * -- neither changed nor deleted here, so an old pool (re)starting during a rolling deploy or after
 * -- a rollback writes nothing back (the newer definitions stay until that generation runs again).
 * WITH input AS (
 *   SELECT * FROM json_to_recordset(:schedules!::json) AS s(
 *     id text, task_name text, queue_name text, cron text, time_zone text, payload jsonb,
 *     max_retries integer, missed text, max_missed integer, overlap text, next_at timestamptz, concurrency_key text,
 *     payload_version integer, priority integer, unique_key text)
 * ), removed AS (
 *   DELETE FROM backie_schedules s
 *   WHERE s.task_name = ANY(:taskNames!::text[]) AND NOT EXISTS (SELECT 1 FROM input i WHERE i.id = s.id)
 *     AND s.generation <= :generation!::integer
 *   RETURNING s.id
 * ), upserted AS (
 *   INSERT INTO backie_schedules AS s (
 *     id, task_name, queue_name, cron, time_zone, payload, max_retries, missed, max_missed, overlap, next_at, concurrency_key,
 *     payload_version, priority, unique_key, generation)
 *   SELECT i.id, i.task_name, i.queue_name, i.cron, i.time_zone, i.payload, i.max_retries, i.missed,
 *          i.max_missed, i.overlap, i.next_at, i.concurrency_key, i.payload_version, i.priority, i.unique_key, :generation!::integer
 *   FROM input i
 *   -- A task a newer deploy has schedules of gets none added by an older one.
 *   WHERE NOT EXISTS (SELECT 1 FROM backie_schedules o WHERE o.task_name = i.task_name AND o.generation > :generation!::integer)
 *   ORDER BY i.id
 *   ON CONFLICT (id) DO UPDATE SET
 *     task_name = excluded.task_name, queue_name = excluded.queue_name, cron = excluded.cron,
 *     time_zone = excluded.time_zone, payload = excluded.payload, max_retries = excluded.max_retries,
 *     missed = excluded.missed, max_missed = excluded.max_missed, overlap = excluded.overlap,
 *     concurrency_key = excluded.concurrency_key, payload_version = excluded.payload_version,
 *     priority = excluded.priority, unique_key = excluded.unique_key, generation = excluded.generation,
 *     next_at = CASE WHEN s.cron = excluded.cron AND s.time_zone = excluded.time_zone THEN s.next_at
 *                    ELSE excluded.next_at END,
 *     updated_at = coalesce(:now::timestamptz, now())
 *   WHERE s.generation <= excluded.generation
 *     AND (s.task_name, s.queue_name, s.cron, s.time_zone, s.payload, s.max_retries, s.missed, s.max_missed, s.overlap,
 *          s.concurrency_key, s.payload_version, s.priority, s.unique_key, s.generation)
 *     IS DISTINCT FROM (excluded.task_name, excluded.queue_name, excluded.cron, excluded.time_zone, excluded.payload,
 *                       excluded.max_retries, excluded.missed, excluded.max_missed, excluded.overlap,
 *                       excluded.concurrency_key, excluded.payload_version, excluded.priority, excluded.unique_key,
 *                       excluded.generation)
 *   RETURNING s.id, (s.xmax = 0) AS added
 * )
 * SELECT id AS "id!", 'removed' AS "change!" FROM removed
 * UNION ALL
 * SELECT id, CASE WHEN added THEN 'added' ELSE 'changed' END FROM upserted
 * ```
 */
export const schedulesReconcile = new PreparedQuery<ISchedulesReconcileParams,ISchedulesReconcileResult>(schedulesReconcileIR);


/** 'SchedulesFindDue' parameters type */
export interface ISchedulesFindDueParams {
  limit: NumberOrString;
  now?: DateOrString | null | void;
  taskNames: stringArray;
}

/** 'SchedulesFindDue' return type */
export interface ISchedulesFindDueResult {
  cron: string;
  id: string;
  max_missed: number;
  missed: string;
  next_at: Date | null;
  next_at_text: string | null;
  now: Date;
  overlap: string;
  task_name: string;
  time_zone: string;
  unique_key: string | null;
  upcoming: Date | null;
}

/** 'SchedulesFindDue' query type */
export interface ISchedulesFindDueQuery {
  params: ISchedulesFindDueParams;
  result: ISchedulesFindDueResult;
}

const schedulesFindDueIR: any = {"usedParamSet":{"now":true,"taskNames":true,"limit":true},"params":[{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":555,"b":558},{"a":725,"b":728}]},{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":679,"b":689},{"a":990,"b":1000}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":1069,"b":1075}]}],"statement":"-- Due schedules of the given tasks, oldest first, with the clock that decided \"due\" and the\n-- earliest occurrence still to come (so the caller can sleep until then). One row with null\n-- schedule columns when none is due. `next_at_text` is the exact stored value: the fire\n-- statement compares with it (a Date would lose microseconds written by hand, and never match).\nSELECT c.now AS \"now!\", c.upcoming, d.id, d.task_name, d.cron, d.time_zone, d.missed, d.max_missed,\n       d.overlap, d.unique_key, d.next_at, d.next_at_text\nFROM (\n  SELECT coalesce(:now::timestamptz, now()) AS now,\n         (SELECT min(u.next_at) FROM backie_schedules u\n          WHERE u.task_name = ANY(:taskNames!::text[]) AND u.next_at > coalesce(:now::timestamptz, now())) AS upcoming\n) c\nLEFT JOIN LATERAL (\n  SELECT s.id, s.task_name, s.cron, s.time_zone, s.missed, s.max_missed, s.overlap, s.unique_key, s.next_at,\n         s.next_at::text AS next_at_text\n  FROM backie_schedules s\n  WHERE s.task_name = ANY(:taskNames!::text[]) AND s.next_at <= c.now\n  ORDER BY s.next_at, s.id\n  LIMIT :limit!\n) d ON true"};

/**
 * Query generated from SQL:
 * ```
 * -- Due schedules of the given tasks, oldest first, with the clock that decided "due" and the
 * -- earliest occurrence still to come (so the caller can sleep until then). One row with null
 * -- schedule columns when none is due. `next_at_text` is the exact stored value: the fire
 * -- statement compares with it (a Date would lose microseconds written by hand, and never match).
 * SELECT c.now AS "now!", c.upcoming, d.id, d.task_name, d.cron, d.time_zone, d.missed, d.max_missed,
 *        d.overlap, d.unique_key, d.next_at, d.next_at_text
 * FROM (
 *   SELECT coalesce(:now::timestamptz, now()) AS now,
 *          (SELECT min(u.next_at) FROM backie_schedules u
 *           WHERE u.task_name = ANY(:taskNames!::text[]) AND u.next_at > coalesce(:now::timestamptz, now())) AS upcoming
 * ) c
 * LEFT JOIN LATERAL (
 *   SELECT s.id, s.task_name, s.cron, s.time_zone, s.missed, s.max_missed, s.overlap, s.unique_key, s.next_at,
 *          s.next_at::text AS next_at_text
 *   FROM backie_schedules s
 *   WHERE s.task_name = ANY(:taskNames!::text[]) AND s.next_at <= c.now
 *   ORDER BY s.next_at, s.id
 *   LIMIT :limit!
 * ) d ON true
 * ```
 */
export const schedulesFindDue = new PreparedQuery<ISchedulesFindDueParams,ISchedulesFindDueResult>(schedulesFindDueIR);


/** 'SchedulesFireMany' parameters type */
export interface ISchedulesFireManyParams {
  runs: Json;
  schedules: Json;
}

/** 'SchedulesFireMany' return type */
export interface ISchedulesFireManyResult {
  schedule_id: string;
  scheduled_for: Date | null;
  task_id: string;
}

/** 'SchedulesFireMany' query type */
export interface ISchedulesFireManyQuery {
  params: ISchedulesFireManyParams;
  result: ISchedulesFireManyResult;
}

const schedulesFireManyIR: any = {"usedParamSet":{"schedules":true,"runs":true},"params":[{"name":"schedules","required":true,"transform":{"type":"scalar"},"locs":[{"a":526,"b":536}]},{"name":"runs","required":true,"transform":{"type":"scalar"},"locs":[{"a":974,"b":979}]}],"statement":"-- Takes due occurrences: each schedule in :schedules moves to its next occurrence only if it\n-- still holds the due value it was read with, and only the schedules moved here get their runs\n-- (:runs) inserted, in the same statement. Of N workers firing one occurrence, one moves it; the\n-- others move nothing and insert nothing. A run whose unique key is held by a ready or running\n-- task (overlap \"skip\": the previous run is not finished) is not inserted: task_id is null.\nWITH fire AS (\n  SELECT * FROM json_to_recordset(:schedules!::json) AS f(id text, due_at text, next_at timestamptz, last_at timestamptz)\n), moved AS (\n  UPDATE backie_schedules s\n  SET next_at = f.next_at, last_at = coalesce(f.last_at, s.last_at)\n  FROM fire f\n  WHERE s.id = f.id AND s.next_at = f.due_at::timestamptz\n  RETURNING s.id, s.task_name, s.queue_name, s.payload, s.max_retries, s.concurrency_key, s.payload_version, s.priority\n), runs AS (\n  SELECT * FROM ROWS FROM (json_to_recordset(:runs!::json) AS (\n    schedule_id text, scheduled_for timestamptz, missed_count integer, unique_key text))\n    WITH ORDINALITY AS r(schedule_id, scheduled_for, missed_count, unique_key, ord)\n), inserted AS (\n  INSERT INTO backie_tasks (task_name, queue_name, payload, unique_key, max_retries, scheduled_at,\n                            schedule_id, schedule_for, schedule_missed, concurrency_key, payload_version, priority)\n  SELECT m.task_name, m.queue_name, m.payload, r.unique_key, m.max_retries, r.scheduled_for,\n         r.schedule_id, r.scheduled_for, r.missed_count, m.concurrency_key, m.payload_version, m.priority\n  FROM runs r JOIN moved m ON m.id = r.schedule_id\n  ORDER BY r.ord\n  ON CONFLICT (task_name, backie_key_digest(unique_key)) WHERE unique_key IS NOT NULL AND state IN ('ready', 'running')\n  DO NOTHING\n  RETURNING id, schedule_id, schedule_for, queue_name, scheduled_at\n), notified AS (\n  SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ','))\n  FROM inserted WHERE scheduled_at <= now() HAVING count(*) > 0\n)\nSELECT m.id AS \"schedule_id!\", r.scheduled_for, i.id AS task_id\nFROM moved m\nLEFT JOIN runs r ON r.schedule_id = m.id\nLEFT JOIN inserted i ON i.schedule_id = r.schedule_id AND i.schedule_for = r.scheduled_for\nLEFT JOIN notified ON true"};

/**
 * Query generated from SQL:
 * ```
 * -- Takes due occurrences: each schedule in :schedules moves to its next occurrence only if it
 * -- still holds the due value it was read with, and only the schedules moved here get their runs
 * -- (:runs) inserted, in the same statement. Of N workers firing one occurrence, one moves it; the
 * -- others move nothing and insert nothing. A run whose unique key is held by a ready or running
 * -- task (overlap "skip": the previous run is not finished) is not inserted: task_id is null.
 * WITH fire AS (
 *   SELECT * FROM json_to_recordset(:schedules!::json) AS f(id text, due_at text, next_at timestamptz, last_at timestamptz)
 * ), moved AS (
 *   UPDATE backie_schedules s
 *   SET next_at = f.next_at, last_at = coalesce(f.last_at, s.last_at)
 *   FROM fire f
 *   WHERE s.id = f.id AND s.next_at = f.due_at::timestamptz
 *   RETURNING s.id, s.task_name, s.queue_name, s.payload, s.max_retries, s.concurrency_key, s.payload_version, s.priority
 * ), runs AS (
 *   SELECT * FROM ROWS FROM (json_to_recordset(:runs!::json) AS (
 *     schedule_id text, scheduled_for timestamptz, missed_count integer, unique_key text))
 *     WITH ORDINALITY AS r(schedule_id, scheduled_for, missed_count, unique_key, ord)
 * ), inserted AS (
 *   INSERT INTO backie_tasks (task_name, queue_name, payload, unique_key, max_retries, scheduled_at,
 *                             schedule_id, schedule_for, schedule_missed, concurrency_key, payload_version, priority)
 *   SELECT m.task_name, m.queue_name, m.payload, r.unique_key, m.max_retries, r.scheduled_for,
 *          r.schedule_id, r.scheduled_for, r.missed_count, m.concurrency_key, m.payload_version, m.priority
 *   FROM runs r JOIN moved m ON m.id = r.schedule_id
 *   ORDER BY r.ord
 *   ON CONFLICT (task_name, backie_key_digest(unique_key)) WHERE unique_key IS NOT NULL AND state IN ('ready', 'running')
 *   DO NOTHING
 *   RETURNING id, schedule_id, schedule_for, queue_name, scheduled_at
 * ), notified AS (
 *   SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ','))
 *   FROM inserted WHERE scheduled_at <= now() HAVING count(*) > 0
 * )
 * SELECT m.id AS "schedule_id!", r.scheduled_for, i.id AS task_id
 * FROM moved m
 * LEFT JOIN runs r ON r.schedule_id = m.id
 * LEFT JOIN inserted i ON i.schedule_id = r.schedule_id AND i.schedule_for = r.scheduled_for
 * LEFT JOIN notified ON true
 * ```
 */
export const schedulesFireMany = new PreparedQuery<ISchedulesFireManyParams,ISchedulesFireManyResult>(schedulesFireManyIR);


/** 'SchedulesFindAll' parameters type */
export interface ISchedulesFindAllParams {
  now?: DateOrString | null | void;
}

/** 'SchedulesFindAll' return type */
export interface ISchedulesFindAllResult {
  created_at: Date;
  cron: string;
  id: string;
  last_at: Date | null;
  max_missed: number;
  missed: string;
  next_at: Date | null;
  now: Date;
  overlap: string;
  queue_name: string;
  task_name: string;
  time_zone: string;
  updated_at: Date;
}

/** 'SchedulesFindAll' query type */
export interface ISchedulesFindAllQuery {
  params: ISchedulesFindAllParams;
  result: ISchedulesFindAllResult;
}

const schedulesFindAllIR: any = {"usedParamSet":{"now":true},"params":[{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":236,"b":239}]}],"statement":"-- Every schedule, for `backie schedules`, with the clock it was read at.\nSELECT s.id, s.task_name, s.queue_name, s.cron, s.time_zone, s.missed, s.max_missed, s.overlap,\n       s.next_at, s.last_at, s.created_at, s.updated_at, coalesce(:now::timestamptz, now()) AS \"now!\"\nFROM backie_schedules s\nORDER BY s.id"};

/**
 * Query generated from SQL:
 * ```
 * -- Every schedule, for `backie schedules`, with the clock it was read at.
 * SELECT s.id, s.task_name, s.queue_name, s.cron, s.time_zone, s.missed, s.max_missed, s.overlap,
 *        s.next_at, s.last_at, s.created_at, s.updated_at, coalesce(:now::timestamptz, now()) AS "now!"
 * FROM backie_schedules s
 * ORDER BY s.id
 * ```
 */
export const schedulesFindAll = new PreparedQuery<ISchedulesFindAllParams,ISchedulesFindAllResult>(schedulesFindAllIR);


/** 'SchedulesDeleteMany' parameters type */
export interface ISchedulesDeleteManyParams {
  ids: stringArray;
}

/** 'SchedulesDeleteMany' return type */
export interface ISchedulesDeleteManyResult {
  id: string;
}

/** 'SchedulesDeleteMany' query type */
export interface ISchedulesDeleteManyQuery {
  params: ISchedulesDeleteManyParams;
  result: ISchedulesDeleteManyResult;
}

const schedulesDeleteManyIR: any = {"usedParamSet":{"ids":true},"params":[{"name":"ids","required":true,"transform":{"type":"scalar"},"locs":[{"a":138,"b":142}]}],"statement":"-- Removes schedules by id (`backie schedules remove`): for rows no deploy declares any more.\nDELETE FROM backie_schedules WHERE id = ANY(:ids!::text[]) RETURNING id"};

/**
 * Query generated from SQL:
 * ```
 * -- Removes schedules by id (`backie schedules remove`): for rows no deploy declares any more.
 * DELETE FROM backie_schedules WHERE id = ANY(:ids!::text[]) RETURNING id
 * ```
 */
export const schedulesDeleteMany = new PreparedQuery<ISchedulesDeleteManyParams,ISchedulesDeleteManyResult>(schedulesDeleteManyIR);


