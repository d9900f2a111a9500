/** Types generated for queries found in "sql/tasks.sql" */
import { PreparedQuery } from '../preparedQuery.js';

export type backie_task_state = 'cancelled' | 'done' | 'failed' | 'ready' | 'running';

export type DateOrString = Date | string;

export type DateOrStringArray = (DateOrString)[];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type JsonArray = (Json)[];

export type NumberOrString = number | string;

export type NumberOrStringArray = (NumberOrString)[];

export type booleanArray = (boolean)[];

export type numberArray = (number)[];

export type stringArray = (string)[];

/** 'TaskInsert' parameters type */
export interface ITaskInsertParams {
  concurrencyKey?: string | null | void;
  delayMs?: NumberOrString | null | void;
  maxRetries: number;
  notify: boolean;
  payload: Json;
  payloadVersion: number;
  priority: number;
  queueName: string;
  runAt?: DateOrString | null | void;
  taskName: string;
  traceContext?: Json | null | void;
}

/** 'TaskInsert' return type */
export interface ITaskInsertResult {
  id: string;
}

/** 'TaskInsert' query type */
export interface ITaskInsertQuery {
  params: ITaskInsertParams;
  result: ITaskInsertResult;
}

const taskInsertIR: any = {"usedParamSet":{"taskName":true,"queueName":true,"payload":true,"priority":true,"maxRetries":true,"traceContext":true,"concurrencyKey":true,"payloadVersion":true,"runAt":true,"delayMs":true,"notify":true},"params":[{"name":"taskName","required":true,"transform":{"type":"scalar"},"locs":[{"a":1092,"b":1101}]},{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":1104,"b":1114}]},{"name":"payload","required":true,"transform":{"type":"scalar"},"locs":[{"a":1117,"b":1125}]},{"name":"priority","required":true,"transform":{"type":"scalar"},"locs":[{"a":1135,"b":1144}]},{"name":"maxRetries","required":true,"transform":{"type":"scalar"},"locs":[{"a":1147,"b":1158}]},{"name":"traceContext","required":false,"transform":{"type":"scalar"},"locs":[{"a":1161,"b":1173}]},{"name":"concurrencyKey","required":false,"transform":{"type":"scalar"},"locs":[{"a":1183,"b":1197}]},{"name":"payloadVersion","required":true,"transform":{"type":"scalar"},"locs":[{"a":1206,"b":1221}]},{"name":"runAt","required":false,"transform":{"type":"scalar"},"locs":[{"a":1246,"b":1251}]},{"name":"delayMs","required":false,"transform":{"type":"scalar"},"locs":[{"a":1284,"b":1291}]},{"name":"notify","required":true,"transform":{"type":"scalar"},"locs":[{"a":1468,"b":1475}]}],"statement":"-- Every query here is batch-first and takes the clock from the database (`now()`), optionally\n-- overridden by :now so that tests can fix time. The worker's own clock never decides.\n-- Inserts notify idle workers themselves, once per statement, naming the queues that got\n-- runnable tasks (a trigger with a transition table cost ~9% of a batch insert) -- when :notify:\n-- in a caller's transaction (the wake-up then comes with its commit), or an enqueue alone. A\n-- NOTIFY holds PostgreSQL's notification lock from the commit's start to its end (WAL flush\n-- included), so parallel enqueues would take turns on it: those commit without, and the store\n-- sends the wake-up after the commit (QueuesNotify, coalesced).\n-- One row without a unique key: no ON CONFLICT, whose speculative insertion (an extra lock and\n-- WAL record per row) only keyed rows need (they go through TasksInsertUniqueMany, one or many).\nWITH inserted AS (\n  INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, trace_context, concurrency_key, payload_version, scheduled_at)\n  VALUES (\n    :taskName!, :queueName!, :payload!::jsonb, :priority!, :maxRetries!, :traceContext::jsonb, :concurrencyKey::text, :payloadVersion!::integer,\n    coalesce(:runAt::timestamptz, now() + coalesce(:delayMs::bigint, 0) * interval '1 millisecond')\n  )\n  RETURNING id, queue_name, scheduled_at\n), notified AS (\n  SELECT pg_notify('backie_tasks_ready', queue_name) FROM inserted WHERE :notify!::boolean AND scheduled_at <= now()\n)\nSELECT inserted.id FROM inserted LEFT JOIN notified ON true"};

/**
 * Query generated from SQL:
 * ```
 * -- Every query here is batch-first and takes the clock from the database (`now()`), optionally
 * -- overridden by :now so that tests can fix time. The worker's own clock never decides.
 * -- Inserts notify idle workers themselves, once per statement, naming the queues that got
 * -- runnable tasks (a trigger with a transition table cost ~9% of a batch insert) -- when :notify:
 * -- in a caller's transaction (the wake-up then comes with its commit), or an enqueue alone. A
 * -- NOTIFY holds PostgreSQL's notification lock from the commit's start to its end (WAL flush
 * -- included), so parallel enqueues would take turns on it: those commit without, and the store
 * -- sends the wake-up after the commit (QueuesNotify, coalesced).
 * -- One row without a unique key: no ON CONFLICT, whose speculative insertion (an extra lock and
 * -- WAL record per row) only keyed rows need (they go through TasksInsertUniqueMany, one or many).
 * WITH inserted AS (
 *   INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, trace_context, concurrency_key, payload_version, scheduled_at)
 *   VALUES (
 *     :taskName!, :queueName!, :payload!::jsonb, :priority!, :maxRetries!, :traceContext::jsonb, :concurrencyKey::text, :payloadVersion!::integer,
 *     coalesce(:runAt::timestamptz, now() + coalesce(:delayMs::bigint, 0) * interval '1 millisecond')
 *   )
 *   RETURNING id, queue_name, scheduled_at
 * ), notified AS (
 *   SELECT pg_notify('backie_tasks_ready', queue_name) FROM inserted WHERE :notify!::boolean AND scheduled_at <= now()
 * )
 * SELECT inserted.id FROM inserted LEFT JOIN notified ON true
 * ```
 */
export const taskInsert = new PreparedQuery<ITaskInsertParams,ITaskInsertResult>(taskInsertIR);


/** 'TasksInsertMany' parameters type */
export interface ITasksInsertManyParams {
  concurrencyKeys: stringArray;
  delays: NumberOrStringArray;
  maxRetries: number;
  maxRetriesEach: numberArray;
  notify: boolean;
  payloads: JsonArray;
  payloadVersion: number;
  payloadVersions: numberArray;
  priorities: numberArray;
  priority: number;
  queueName: string;
  queueNames: stringArray;
  runAts: DateOrStringArray;
  taskName: string;
  taskNames: stringArray;
  traceContexts: JsonArray;
}

/** 'TasksInsertMany' return type */
export interface ITasksInsertManyResult {
  ids: string;
}

/** 'TasksInsertMany' query type */
export interface ITasksInsertManyQuery {
  params: ITasksInsertManyParams;
  result: ITasksInsertManyResult;
}

const tasksInsertManyIR: any = {"usedParamSet":{"taskName":true,"queueName":true,"priority":true,"maxRetries":true,"payloadVersion":true,"taskNames":true,"queueNames":true,"payloads":true,"priorities":true,"maxRetriesEach":true,"runAts":true,"delays":true,"traceContexts":true,"concurrencyKeys":true,"payloadVersions":true,"notify":true},"params":[{"name":"taskName","required":true,"transform":{"type":"scalar"},"locs":[{"a":839,"b":848}]},{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":875,"b":885}]},{"name":"priority","required":true,"transform":{"type":"scalar"},"locs":[{"a":921,"b":930}]},{"name":"maxRetries","required":true,"transform":{"type":"scalar"},"locs":[{"a":967,"b":978}]},{"name":"payloadVersion","required":true,"transform":{"type":"scalar"},"locs":[{"a":1046,"b":1061}]},{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":1176,"b":1186}]},{"name":"queueNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":1197,"b":1208}]},{"name":"payloads","required":true,"transform":{"type":"scalar"},"locs":[{"a":1219,"b":1228}]},{"name":"priorities","required":true,"transform":{"type":"scalar"},"locs":[{"a":1240,"b":1251}]},{"name":"maxRetriesEach","required":true,"transform":{"type":"scalar"},"locs":[{"a":1265,"b":1280}]},{"name":"runAts","required":true,"transform":{"type":"scalar"},"locs":[{"a":1308,"b":1315}]},{"name":"delays","required":true,"transform":{"type":"scalar"},"locs":[{"a":1333,"b":1340}]},{"name":"traceContexts","required":true,"transform":{"type":"scalar"},"locs":[{"a":1353,"b":1367}]},{"name":"concurrencyKeys","required":true,"transform":{"type":"scalar"},"locs":[{"a":1379,"b":1395}]},{"name":"payloadVersions","required":true,"transform":{"type":"scalar"},"locs":[{"a":1406,"b":1422}]},{"name":"notify","required":true,"transform":{"type":"scalar"},"locs":[{"a":1767,"b":1774}]}],"statement":"-- Rows without a unique key: a plain insert (no speculative insertion per row).\n-- Rows arrive as one typed array per column (about 1.2-1.5x faster to take apart than a JSON\n-- document of records, measured with 1,000-row batches). A column that is the same in every row\n-- comes once, as the scalar, with an empty array (unnest pads it with NULLs): most batches are\n-- one task's rows, and parsing eight 1,000-element arrays was a third of the statement.\n-- The ids come back as one text in input order (a sequence's values rise within a statement):\n-- one row rather than one per task, and a split rather than an array parse in the client.\nWITH inserted AS (\n  INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, trace_context, concurrency_key, payload_version, scheduled_at)\n  SELECT coalesce(t.task_name, :taskName!), coalesce(t.queue_name, :queueName!), t.payload, coalesce(t.priority, :priority!),\n         coalesce(t.max_retries, :maxRetries!), t.trace_context, t.concurrency_key, coalesce(t.payload_version, :payloadVersion!::integer),\n         coalesce(t.run_at, now() + coalesce(t.delay_ms, 0) * interval '1 millisecond')\n  FROM unnest(:taskNames!::text[], :queueNames!::text[], :payloads!::jsonb[], :priorities!::integer[], :maxRetriesEach!::integer[],\n              :runAts!::timestamptz[], :delays!::bigint[], :traceContexts!::jsonb[], :concurrencyKeys!::text[], :payloadVersions!::integer[]) WITH ORDINALITY\n       AS t(task_name, queue_name, payload, priority, max_retries, run_at, delay_ms, trace_context, concurrency_key, payload_version, ord)\n  ORDER BY t.ord\n  RETURNING id, queue_name, scheduled_at\n), notified AS (\n  SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ','))\n  FROM inserted WHERE :notify!::boolean AND scheduled_at <= now() HAVING count(*) > 0\n)\nSELECT string_agg(inserted.id::text, ',' ORDER BY inserted.id) AS \"ids!\" FROM inserted LEFT JOIN notified ON true"};

/**
 * Query generated from SQL:
 * ```
 * -- Rows without a unique key: a plain insert (no speculative insertion per row).
 * -- Rows arrive as one typed array per column (about 1.2-1.5x faster to take apart than a JSON
 * -- document of records, measured with 1,000-row batches). A column that is the same in every row
 * -- comes once, as the scalar, with an empty array (unnest pads it with NULLs): most batches are
 * -- one task's rows, and parsing eight 1,000-element arrays was a third of the statement.
 * -- The ids come back as one text in input order (a sequence's values rise within a statement):
 * -- one row rather than one per task, and a split rather than an array parse in the client.
 * WITH inserted AS (
 *   INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, trace_context, concurrency_key, payload_version, scheduled_at)
 *   SELECT coalesce(t.task_name, :taskName!), coalesce(t.queue_name, :queueName!), t.payload, coalesce(t.priority, :priority!),
 *          coalesce(t.max_retries, :maxRetries!), t.trace_context, t.concurrency_key, coalesce(t.payload_version, :payloadVersion!::integer),
 *          coalesce(t.run_at, now() + coalesce(t.delay_ms, 0) * interval '1 millisecond')
 *   FROM unnest(:taskNames!::text[], :queueNames!::text[], :payloads!::jsonb[], :priorities!::integer[], :maxRetriesEach!::integer[],
 *               :runAts!::timestamptz[], :delays!::bigint[], :traceContexts!::jsonb[], :concurrencyKeys!::text[], :payloadVersions!::integer[]) WITH ORDINALITY
 *        AS t(task_name, queue_name, payload, priority, max_retries, run_at, delay_ms, trace_context, concurrency_key, payload_version, ord)
 *   ORDER BY t.ord
 *   RETURNING id, queue_name, scheduled_at
 * ), notified AS (
 *   SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ','))
 *   FROM inserted WHERE :notify!::boolean AND scheduled_at <= now() HAVING count(*) > 0
 * )
 * SELECT string_agg(inserted.id::text, ',' ORDER BY inserted.id) AS "ids!" FROM inserted LEFT JOIN notified ON true
 * ```
 */
export const tasksInsertMany = new PreparedQuery<ITasksInsertManyParams,ITasksInsertManyResult>(tasksInsertManyIR);


/** 'TasksInsertUniqueMany' parameters type */
export interface ITasksInsertUniqueManyParams {
  concurrencyKeys: stringArray;
  delays: NumberOrStringArray;
  maxRetries: number;
  maxRetriesEach: numberArray;
  notify: boolean;
  payloads: JsonArray;
  payloadVersion: number;
  payloadVersions: numberArray;
  priorities: numberArray;
  priority: number;
  queueName: string;
  queueNames: stringArray;
  runAts: DateOrStringArray;
  taskName: string;
  taskNames: stringArray;
  traceContexts: JsonArray;
  uniqueKeys: stringArray;
}

/** 'TasksInsertUniqueMany' return type */
export interface ITasksInsertUniqueManyResult {
  id: string | null;
  inserted: boolean;
  ord: string;
}

/** 'TasksInsertUniqueMany' query type */
export interface ITasksInsertUniqueManyQuery {
  params: ITasksInsertUniqueManyParams;
  result: ITasksInsertUniqueManyResult;
}

const tasksInsertUniqueManyIR: any = {"usedParamSet":{"taskName":true,"queueName":true,"priority":true,"maxRetries":true,"payloadVersion":true,"taskNames":true,"queueNames":true,"payloads":true,"priorities":true,"maxRetriesEach":true,"runAts":true,"delays":true,"traceContexts":true,"concurrencyKeys":true,"payloadVersions":true,"uniqueKeys":true,"notify":true},"params":[{"name":"taskName","required":true,"transform":{"type":"scalar"},"locs":[{"a":860,"b":869}]},{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":909,"b":919}]},{"name":"priority","required":true,"transform":{"type":"scalar"},"locs":[{"a":978,"b":987}]},{"name":"maxRetries","required":true,"transform":{"type":"scalar"},"locs":[{"a":1041,"b":1052}]},{"name":"payloadVersion","required":true,"transform":{"type":"scalar"},"locs":[{"a":1166,"b":1181}]},{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":1233,"b":1243}]},{"name":"queueNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":1254,"b":1265}]},{"name":"payloads","required":true,"transform":{"type":"scalar"},"locs":[{"a":1276,"b":1285}]},{"name":"priorities","required":true,"transform":{"type":"scalar"},"locs":[{"a":1297,"b":1308}]},{"name":"maxRetriesEach","required":true,"transform":{"type":"scalar"},"locs":[{"a":1322,"b":1337}]},{"name":"runAts","required":true,"transform":{"type":"scalar"},"locs":[{"a":1365,"b":1372}]},{"name":"delays","required":true,"transform":{"type":"scalar"},"locs":[{"a":1390,"b":1397}]},{"name":"traceContexts","required":true,"transform":{"type":"scalar"},"locs":[{"a":1410,"b":1424}]},{"name":"concurrencyKeys","required":true,"transform":{"type":"scalar"},"locs":[{"a":1436,"b":1452}]},{"name":"payloadVersions","required":true,"transform":{"type":"scalar"},"locs":[{"a":1463,"b":1479}]},{"name":"uniqueKeys","required":true,"transform":{"type":"scalar"},"locs":[{"a":1507,"b":1518}]},{"name":"notify","required":true,"transform":{"type":"scalar"},"locs":[{"a":2449,"b":2456}]}],"statement":"-- Rows with a unique key, one or many, as typed arrays per column like TasksInsertMany (the same\n-- scalar-for-a-uniform-column trick), plus the keys. While a ready or running task holds the key,\n-- that task's id comes back (`inserted` false), read without a lock: DO NOTHING then a plain read,\n-- because DO UPDATE would hold the row lock until the enqueuer commits, blocking that task's\n-- worker. The read is a scalar subquery, evaluated only for a row not inserted, one probe of the\n-- unique-key index each (as a join, the planner read every keyed ready row per batch: 100,000\n-- keyed tasks enqueued at 7,350/s). `id` is null when the holder finished between the insert and\n-- the read (or committed after this statement's snapshot), and the caller sends that row again.\n-- Each key comes once per batch.\nWITH input AS (\n  SELECT coalesce(t.task_name, :taskName!) AS task_name, coalesce(t.queue_name, :queueName!) AS queue_name, t.payload,\n         coalesce(t.priority, :priority!) AS priority, t.unique_key, coalesce(t.max_retries, :maxRetries!) AS max_retries,\n         t.run_at, t.delay_ms, t.trace_context, t.concurrency_key, coalesce(t.payload_version, :payloadVersion!::integer) AS payload_version, t.ord\n  FROM unnest(:taskNames!::text[], :queueNames!::text[], :payloads!::jsonb[], :priorities!::integer[], :maxRetriesEach!::integer[],\n              :runAts!::timestamptz[], :delays!::bigint[], :traceContexts!::jsonb[], :concurrencyKeys!::text[], :payloadVersions!::integer[],\n              :uniqueKeys!::text[]) WITH ORDINALITY\n       AS t(task_name, queue_name, payload, priority, max_retries, run_at, delay_ms, trace_context, concurrency_key, payload_version, unique_key, ord)\n), inserted AS (\n  INSERT INTO backie_tasks (task_name, queue_name, payload, priority, unique_key, max_retries, trace_context, concurrency_key, payload_version, scheduled_at)\n  SELECT i.task_name, i.queue_name, i.payload, i.priority, i.unique_key, i.max_retries, i.trace_context, i.concurrency_key, i.payload_version,\n         coalesce(i.run_at, now() + coalesce(i.delay_ms, 0) * interval '1 millisecond')\n  FROM input i\n  ORDER BY i.ord\n  ON CONFLICT (task_name, backie_key_digest(unique_key)) WHERE unique_key IS NOT NULL AND state IN ('ready', 'running')\n  DO NOTHING\n  RETURNING id, task_name, unique_key, queue_name, scheduled_at\n), notified AS (\n  SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ','))\n  FROM inserted WHERE :notify!::boolean AND scheduled_at <= now() HAVING count(*) > 0\n)\nSELECT i.ord AS \"ord!\",\n       coalesce(ins.id, (\n         SELECT b.id FROM backie_tasks b\n         WHERE b.task_name = i.task_name AND backie_key_digest(b.unique_key) = backie_key_digest(i.unique_key)\n           AND b.unique_key = i.unique_key AND b.unique_key IS NOT NULL AND b.state IN ('ready', 'running')\n         LIMIT 1)) AS id,\n       ins.id IS NOT NULL AS \"inserted!\"\nFROM input i\nLEFT JOIN inserted ins ON ins.task_name = i.task_name AND ins.unique_key = i.unique_key\nLEFT JOIN notified ON true\nORDER BY i.ord"};

/**
 * Query generated from SQL:
 * ```
 * -- Rows with a unique key, one or many, as typed arrays per column like TasksInsertMany (the same
 * -- scalar-for-a-uniform-column trick), plus the keys. While a ready or running task holds the key,
 * -- that task's id comes back (`inserted` false), read without a lock: DO NOTHING then a plain read,
 * -- because DO UPDATE would hold the row lock until the enqueuer commits, blocking that task's
 * -- worker. The read is a scalar subquery, evaluated only for a row not inserted, one probe of the
 * -- unique-key index each (as a join, the planner read every keyed ready row per batch: 100,000
 * -- keyed tasks enqueued at 7,350/s). `id` is null when the holder finished between the insert and
 * -- the read (or committed after this statement's snapshot), and the caller sends that row again.
 * -- Each key comes once per batch.
 * WITH input AS (
 *   SELECT coalesce(t.task_name, :taskName!) AS task_name, coalesce(t.queue_name, :queueName!) AS queue_name, t.payload,
 *          coalesce(t.priority, :priority!) AS priority, t.unique_key, coalesce(t.max_retries, :maxRetries!) AS max_retries,
 *          t.run_at, t.delay_ms, t.trace_context, t.concurrency_key, coalesce(t.payload_version, :payloadVersion!::integer) AS payload_version, t.ord
 *   FROM unnest(:taskNames!::text[], :queueNames!::text[], :payloads!::jsonb[], :priorities!::integer[], :maxRetriesEach!::integer[],
 *               :runAts!::timestamptz[], :delays!::bigint[], :traceContexts!::jsonb[], :concurrencyKeys!::text[], :payloadVersions!::integer[],
 *               :uniqueKeys!::text[]) WITH ORDINALITY
 *        AS t(task_name, queue_name, payload, priority, max_retries, run_at, delay_ms, trace_context, concurrency_key, payload_version, unique_key, ord)
 * ), inserted AS (
 *   INSERT INTO backie_tasks (task_name, queue_name, payload, priority, unique_key, max_retries, trace_context, concurrency_key, payload_version, scheduled_at)
 *   SELECT i.task_name, i.queue_name, i.payload, i.priority, i.unique_key, i.max_retries, i.trace_context, i.concurrency_key, i.payload_version,
 *          coalesce(i.run_at, now() + coalesce(i.delay_ms, 0) * interval '1 millisecond')
 *   FROM input i
 *   ORDER BY i.ord
 *   ON CONFLICT (task_name, backie_key_digest(unique_key)) WHERE unique_key IS NOT NULL AND state IN ('ready', 'running')
 *   DO NOTHING
 *   RETURNING id, task_name, unique_key, queue_name, scheduled_at
 * ), notified AS (
 *   SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT queue_name, ','))
 *   FROM inserted WHERE :notify!::boolean AND scheduled_at <= now() HAVING count(*) > 0
 * )
 * SELECT i.ord AS "ord!",
 *        coalesce(ins.id, (
 *          SELECT b.id FROM backie_tasks b
 *          WHERE b.task_name = i.task_name AND backie_key_digest(b.unique_key) = backie_key_digest(i.unique_key)
 *            AND b.unique_key = i.unique_key AND b.unique_key IS NOT NULL AND b.state IN ('ready', 'running')
 *          LIMIT 1)) AS id,
 *        ins.id IS NOT NULL AS "inserted!"
 * FROM input i
 * LEFT JOIN inserted ins ON ins.task_name = i.task_name AND ins.unique_key = i.unique_key
 * LEFT JOIN notified ON true
 * ORDER BY i.ord
 * ```
 */
export const tasksInsertUniqueMany = new PreparedQuery<ITasksInsertUniqueManyParams,ITasksInsertUniqueManyResult>(tasksInsertUniqueManyIR);


/** 'QueuesNotify' parameters type */
export interface IQueuesNotifyParams {
  queues: string;
}

/** 'QueuesNotify' return type */
export interface IQueuesNotifyResult {
  sent: boolean;
}

/** 'QueuesNotify' query type */
export interface IQueuesNotifyQuery {
  params: IQueuesNotifyParams;
  result: IQueuesNotifyResult;
}

const queuesNotifyIR: any = {"usedParamSet":{"queues":true},"params":[{"name":"queues","required":true,"transform":{"type":"scalar"},"locs":[{"a":131,"b":138}]}],"statement":"-- Wakes idle workers of these queues (comma-separated), outside any inserting transaction.\nSELECT pg_notify('backie_tasks_ready', :queues!::text) IS NULL AS \"sent!\""};

/**
 * Query generated from SQL:
 * ```
 * -- Wakes idle workers of these queues (comma-separated), outside any inserting transaction.
 * SELECT pg_notify('backie_tasks_ready', :queues!::text) IS NULL AS "sent!"
 * ```
 */
export const queuesNotify = new PreparedQuery<IQueuesNotifyParams,IQueuesNotifyResult>(queuesNotifyIR);


/** 'TasksClaimMany' parameters type */
export interface ITasksClaimManyParams {
  leaseMs: NumberOrString;
  limit: NumberOrString;
  now?: DateOrString | null | void;
  owner: string;
  queueName: string;
  taskNames: stringArray;
  versions: numberArray;
}

/** 'TasksClaimMany' return type */
export interface ITasksClaimManyResult {
  attempts: number;
  created_at_ms: number | null;
  fan_in_id: string | null;
  id: string;
  lease_token: number;
  max_retries: number;
  payload: Json;
  payload_version: number;
  priority: number;
  schedule_for_ms: number | null;
  schedule_id: string | null;
  schedule_missed: number | null;
  scheduled_at_ms: number | null;
  started_at_ms: number | null;
  task_name: string;
  trace_context: Json | null;
}

/** 'TasksClaimMany' query type */
export interface ITasksClaimManyQuery {
  params: ITasksClaimManyParams;
  result: ITasksClaimManyResult;
}

const tasksClaimManyIR: any = {"usedParamSet":{"owner":true,"now":true,"leaseMs":true,"taskNames":true,"versions":true,"queueName":true,"limit":true},"params":[{"name":"owner","required":true,"transform":{"type":"scalar"},"locs":[{"a":1064,"b":1070}]},{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":1105,"b":1108},{"a":1205,"b":1208},{"a":1638,"b":1641}]},{"name":"leaseMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":1133,"b":1141}]},{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":1283,"b":1293}]},{"name":"versions","required":true,"transform":{"type":"scalar"},"locs":[{"a":1304,"b":1313}]},{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":1518,"b":1528},{"a":1823,"b":1833}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":1910,"b":1916},{"a":2008,"b":2014}]}],"statement":"-- Claims up to :limit runnable tasks of one queue for the given names and gives each a lease.\n-- Each registered (name, payload version) range of the claim index is read on its own (rows of\n-- names or versions this worker does not know are never visited, however many), and the heads\n-- are merged in priority order. A row\n-- locked by one name's scan but not among the :limit taken is free again at commit.\n-- `id = ANY(ARRAY(...))` keeps the update on the primary key: a join with the locked rows lets\n-- the planner hash the whole table, which grows with kept history.\n-- The counters saturate and wrap instead of overflowing: a row written by hand with\n-- 2147483647 in either would otherwise fail every claim of its queue, forever. A negative count\n-- (also only by hand) starts from 0, or its retries would last two billion runs.\nUPDATE backie_tasks t\nSET state = 'running',\n    attempts = greatest(least(t.attempts, 2147483646), 0) + 1,\n    lease_token = CASE WHEN t.lease_token = 2147483647 THEN -2147483648 ELSE t.lease_token + 1 END,\n    lease_owner = :owner!,\n    lease_expires_at = coalesce(:now::timestamptz, now()) + :leaseMs!::bigint * interval '1 millisecond',\n    started_at = coalesce(:now::timestamptz, now())\nWHERE t.id = ANY(ARRAY(\n  SELECT c.id\n  FROM unnest(:taskNames!::text[], :versions!::integer[]) AS n(name, version)\n  CROSS JOIN LATERAL (\n    SELECT b.id, b.priority, b.scheduled_at\n    FROM backie_tasks b\n    WHERE b.state = 'ready'\n      AND b.parked IS NULL\n      AND b.queue_name = :queueName!\n      AND b.task_name = n.name\n      AND b.payload_version = n.version\n      AND b.scheduled_at <= coalesce(:now::timestamptz, now())\n      -- A paused queue (backie pause) gives nothing: a primary-key lookup per claim.\n      AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)\n    ORDER BY b.priority DESC, b.scheduled_at, b.id\n    LIMIT :limit!\n    FOR UPDATE SKIP LOCKED\n  ) c\n  ORDER BY c.priority DESC, c.scheduled_at, c.id\n  LIMIT :limit!\n))\n-- Times as epoch milliseconds: cheaper to decode than timestamps, and a run rarely reads them.\n-- date_part, not extract: extract's numeric result (and its cast back to float8) cost the claim\n-- about 0.9 µs per row, a tenth of a 1,000-row claim.\n-- (No `!` hints on hot queries: pgtyped renames hinted columns with `delete`, per row.)\n-- Not the queue: the caller claims from one. When it was claimed, by the database's clock (a\n-- worker's may be off): the caller takes the due time from it for the time the task waited\n-- (queue lag), as epochs, since a timestamp difference with an infinite one (a row written by\n-- hand) is an error that would block the queue. Each column costs every row: the queue and a\n-- second date_part were 7% of a 1,000-row claim (12.9 -> 12.0 ms; the floor's two columns 11.4).\nRETURNING t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,\n          t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,\n          date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,\n          t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,\n          t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms"};

/**
 * Query generated from SQL:
 * ```
 * -- Claims up to :limit runnable tasks of one queue for the given names and gives each a lease.
 * -- Each registered (name, payload version) range of the claim index is read on its own (rows of
 * -- names or versions this worker does not know are never visited, however many), and the heads
 * -- are merged in priority order. A row
 * -- locked by one name's scan but not among the :limit taken is free again at commit.
 * -- `id = ANY(ARRAY(...))` keeps the update on the primary key: a join with the locked rows lets
 * -- the planner hash the whole table, which grows with kept history.
 * -- The counters saturate and wrap instead of overflowing: a row written by hand with
 * -- 2147483647 in either would otherwise fail every claim of its queue, forever. A negative count
 * -- (also only by hand) starts from 0, or its retries would last two billion runs.
 * UPDATE backie_tasks t
 * SET state = 'running',
 *     attempts = greatest(least(t.attempts, 2147483646), 0) + 1,
 *     lease_token = CASE WHEN t.lease_token = 2147483647 THEN -2147483648 ELSE t.lease_token + 1 END,
 *     lease_owner = :owner!,
 *     lease_expires_at = coalesce(:now::timestamptz, now()) + :leaseMs!::bigint * interval '1 millisecond',
 *     started_at = coalesce(:now::timestamptz, now())
 * WHERE t.id = ANY(ARRAY(
 *   SELECT c.id
 *   FROM unnest(:taskNames!::text[], :versions!::integer[]) AS n(name, version)
 *   CROSS JOIN LATERAL (
 *     SELECT b.id, b.priority, b.scheduled_at
 *     FROM backie_tasks b
 *     WHERE b.state = 'ready'
 *       AND b.parked IS NULL
 *       AND b.queue_name = :queueName!
 *       AND b.task_name = n.name
 *       AND b.payload_version = n.version
 *       AND b.scheduled_at <= coalesce(:now::timestamptz, now())
 *       -- A paused queue (backie pause) gives nothing: a primary-key lookup per claim.
 *       AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)
 *     ORDER BY b.priority DESC, b.scheduled_at, b.id
 *     LIMIT :limit!
 *     FOR UPDATE SKIP LOCKED
 *   ) c
 *   ORDER BY c.priority DESC, c.scheduled_at, c.id
 *   LIMIT :limit!
 * ))
 * -- Times as epoch milliseconds: cheaper to decode than timestamps, and a run rarely reads them.
 * -- date_part, not extract: extract's numeric result (and its cast back to float8) cost the claim
 * -- about 0.9 µs per row, a tenth of a 1,000-row claim.
 * -- (No `!` hints on hot queries: pgtyped renames hinted columns with `delete`, per row.)
 * -- Not the queue: the caller claims from one. When it was claimed, by the database's clock (a
 * -- worker's may be off): the caller takes the due time from it for the time the task waited
 * -- (queue lag), as epochs, since a timestamp difference with an infinite one (a row written by
 * -- hand) is an error that would block the queue. Each column costs every row: the queue and a
 * -- second date_part were 7% of a 1,000-row claim (12.9 -> 12.0 ms; the floor's two columns 11.4).
 * RETURNING t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,
 *           t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,
 *           date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,
 *           t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,
 *           t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms
 * ```
 */
export const tasksClaimMany = new PreparedQuery<ITasksClaimManyParams,ITasksClaimManyResult>(tasksClaimManyIR);


/** 'TasksClaimManyFrom' parameters type */
export interface ITasksClaimManyFromParams {
  leaseMs: NumberOrString;
  limit: NumberOrString;
  now?: DateOrString | null | void;
  owner: string;
  queueName: string;
  startAt: DateOrString;
  startPriority: number;
  taskNames: stringArray;
  versions: numberArray;
}

/** 'TasksClaimManyFrom' return type */
export interface ITasksClaimManyFromResult {
  attempts: number;
  created_at_ms: number | null;
  fan_in_id: string | null;
  id: string;
  lease_token: number;
  max_retries: number;
  payload: Json;
  payload_version: number;
  priority: number;
  schedule_for_ms: number | null;
  schedule_id: string | null;
  schedule_missed: number | null;
  scheduled_at_ms: number | null;
  started_at_ms: number | null;
  task_name: string;
  trace_context: Json | null;
}

/** 'TasksClaimManyFrom' query type */
export interface ITasksClaimManyFromQuery {
  params: ITasksClaimManyFromParams;
  result: ITasksClaimManyFromResult;
}

const tasksClaimManyFromIR: any = {"usedParamSet":{"owner":true,"now":true,"leaseMs":true,"taskNames":true,"versions":true,"queueName":true,"startPriority":true,"limit":true,"startAt":true},"params":[{"name":"owner","required":true,"transform":{"type":"scalar"},"locs":[{"a":1136,"b":1142}]},{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":1177,"b":1180},{"a":1277,"b":1280},{"a":1868,"b":1871},{"a":2562,"b":2565},{"a":3117,"b":3120}]},{"name":"leaseMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":1205,"b":1213}]},{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":1355,"b":1365}]},{"name":"versions","required":true,"transform":{"type":"scalar"},"locs":[{"a":1376,"b":1385}]},{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":1696,"b":1706},{"a":2055,"b":2065},{"a":2352,"b":2362},{"a":2662,"b":2672},{"a":2959,"b":2969},{"a":3217,"b":3227}]},{"name":"startPriority","required":true,"transform":{"type":"scalar"},"locs":[{"a":1805,"b":1819},{"a":2447,"b":2461},{"a":3054,"b":3068}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":2144,"b":2150},{"a":2751,"b":2757},{"a":3306,"b":3312},{"a":3408,"b":3414}]},{"name":"startAt","required":true,"transform":{"type":"scalar"},"locs":[{"a":2501,"b":2509}]}],"statement":"-- TasksClaimMany from a start (:startPriority, :startAt): where the caller's last claim left the\n-- queue. Each range is read in three parts, each an index range of its own: priorities above the\n-- start (from the range's head), the start's priority from :startAt on, and lower priorities.\n-- Rows before the start are not read: every task claimed, or deleted, since the oldest open\n-- snapshot leaves a dead entry at the head of the range that PostgreSQL cannot remove yet, and\n-- with a session idle in its transaction for minutes, claims from the head walked all of them\n-- (claim p99 5.7x after two minutes at 800 tasks/s). The caller uses a start only while reading\n-- the head is slow, keeps it a second behind its last claim, and moves it back when a task lands\n-- earlier (TasksFindClaimHead). Three reads cost a small claim about 0.1 ms more: hence two\n-- statements. Same columns as TasksClaimMany.\nUPDATE backie_tasks t\nSET state = 'running',\n    attempts = greatest(least(t.attempts, 2147483646), 0) + 1,\n    lease_token = CASE WHEN t.lease_token = 2147483647 THEN -2147483648 ELSE t.lease_token + 1 END,\n    lease_owner = :owner!,\n    lease_expires_at = coalesce(:now::timestamptz, now()) + :leaseMs!::bigint * interval '1 millisecond',\n    started_at = coalesce(:now::timestamptz, now())\nWHERE t.id = ANY(ARRAY(\n  SELECT c.id\n  FROM unnest(:taskNames!::text[], :versions!::integer[]) AS n(name, version)\n  CROSS JOIN LATERAL (\n    -- (FOR UPDATE is not allowed in a UNION's arms themselves: each is a subquery.)\n    SELECT x.* FROM (SELECT b.id, b.priority, b.scheduled_at\n     FROM backie_tasks b\n     WHERE b.state = 'ready'\n       AND b.parked IS NULL\n       AND b.queue_name = :queueName!\n       AND b.task_name = n.name\n       AND b.payload_version = n.version\n       AND b.priority > :startPriority!::integer\n       AND b.scheduled_at <= coalesce(:now::timestamptz, now())\n       -- A paused queue (backie pause) gives nothing: a primary-key lookup per claim.\n       AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)\n     ORDER BY b.priority DESC, b.scheduled_at, b.id\n     LIMIT :limit!\n     FOR UPDATE SKIP LOCKED) x\n    UNION ALL\n    SELECT x.* FROM (SELECT b.id, b.priority, b.scheduled_at\n     FROM backie_tasks b\n     WHERE b.state = 'ready' AND b.parked IS NULL AND b.queue_name = :queueName! AND b.task_name = n.name AND b.payload_version = n.version\n       AND b.priority = :startPriority!::integer\n       AND b.scheduled_at >= :startAt!::timestamptz\n       AND b.scheduled_at <= coalesce(:now::timestamptz, now())\n       AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)\n     ORDER BY b.priority DESC, b.scheduled_at, b.id\n     LIMIT :limit!\n     FOR UPDATE SKIP LOCKED) x\n    UNION ALL\n    SELECT x.* FROM (SELECT b.id, b.priority, b.scheduled_at\n     FROM backie_tasks b\n     WHERE b.state = 'ready' AND b.parked IS NULL AND b.queue_name = :queueName! AND b.task_name = n.name AND b.payload_version = n.version\n       AND b.priority < :startPriority!::integer\n       AND b.scheduled_at <= coalesce(:now::timestamptz, now())\n       AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)\n     ORDER BY b.priority DESC, b.scheduled_at, b.id\n     LIMIT :limit!\n     FOR UPDATE SKIP LOCKED) x\n  ) c\n  ORDER BY c.priority DESC, c.scheduled_at, c.id\n  LIMIT :limit!\n))\n-- Same columns as TasksClaimMany (see there).\nRETURNING t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,\n          t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,\n          date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,\n          t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,\n          t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms"};

/**
 * Query generated from SQL:
 * ```
 * -- TasksClaimMany from a start (:startPriority, :startAt): where the caller's last claim left the
 * -- queue. Each range is read in three parts, each an index range of its own: priorities above the
 * -- start (from the range's head), the start's priority from :startAt on, and lower priorities.
 * -- Rows before the start are not read: every task claimed, or deleted, since the oldest open
 * -- snapshot leaves a dead entry at the head of the range that PostgreSQL cannot remove yet, and
 * -- with a session idle in its transaction for minutes, claims from the head walked all of them
 * -- (claim p99 5.7x after two minutes at 800 tasks/s). The caller uses a start only while reading
 * -- the head is slow, keeps it a second behind its last claim, and moves it back when a task lands
 * -- earlier (TasksFindClaimHead). Three reads cost a small claim about 0.1 ms more: hence two
 * -- statements. Same columns as TasksClaimMany.
 * UPDATE backie_tasks t
 * SET state = 'running',
 *     attempts = greatest(least(t.attempts, 2147483646), 0) + 1,
 *     lease_token = CASE WHEN t.lease_token = 2147483647 THEN -2147483648 ELSE t.lease_token + 1 END,
 *     lease_owner = :owner!,
 *     lease_expires_at = coalesce(:now::timestamptz, now()) + :leaseMs!::bigint * interval '1 millisecond',
 *     started_at = coalesce(:now::timestamptz, now())
 * WHERE t.id = ANY(ARRAY(
 *   SELECT c.id
 *   FROM unnest(:taskNames!::text[], :versions!::integer[]) AS n(name, version)
 *   CROSS JOIN LATERAL (
 *     -- (FOR UPDATE is not allowed in a UNION's arms themselves: each is a subquery.)
 *     SELECT x.* FROM (SELECT b.id, b.priority, b.scheduled_at
 *      FROM backie_tasks b
 *      WHERE b.state = 'ready'
 *        AND b.parked IS NULL
 *        AND b.queue_name = :queueName!
 *        AND b.task_name = n.name
 *        AND b.payload_version = n.version
 *        AND b.priority > :startPriority!::integer
 *        AND b.scheduled_at <= coalesce(:now::timestamptz, now())
 *        -- A paused queue (backie pause) gives nothing: a primary-key lookup per claim.
 *        AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)
 *      ORDER BY b.priority DESC, b.scheduled_at, b.id
 *      LIMIT :limit!
 *      FOR UPDATE SKIP LOCKED) x
 *     UNION ALL
 *     SELECT x.* FROM (SELECT b.id, b.priority, b.scheduled_at
 *      FROM backie_tasks b
 *      WHERE b.state = 'ready' AND b.parked IS NULL AND b.queue_name = :queueName! AND b.task_name = n.name AND b.payload_version = n.version
 *        AND b.priority = :startPriority!::integer
 *        AND b.scheduled_at >= :startAt!::timestamptz
 *        AND b.scheduled_at <= coalesce(:now::timestamptz, now())
 *        AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)
 *      ORDER BY b.priority DESC, b.scheduled_at, b.id
 *      LIMIT :limit!
 *      FOR UPDATE SKIP LOCKED) x
 *     UNION ALL
 *     SELECT x.* FROM (SELECT b.id, b.priority, b.scheduled_at
 *      FROM backie_tasks b
 *      WHERE b.state = 'ready' AND b.parked IS NULL AND b.queue_name = :queueName! AND b.task_name = n.name AND b.payload_version = n.version
 *        AND b.priority < :startPriority!::integer
 *        AND b.scheduled_at <= coalesce(:now::timestamptz, now())
 *        AND NOT EXISTS (SELECT 1 FROM backie_queues p WHERE p.queue_name = :queueName! AND p.paused)
 *      ORDER BY b.priority DESC, b.scheduled_at, b.id
 *      LIMIT :limit!
 *      FOR UPDATE SKIP LOCKED) x
 *   ) c
 *   ORDER BY c.priority DESC, c.scheduled_at, c.id
 *   LIMIT :limit!
 * ))
 * -- Same columns as TasksClaimMany (see there).
 * RETURNING t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,
 *           t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,
 *           date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,
 *           t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,
 *           t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms
 * ```
 */
export const tasksClaimManyFrom = new PreparedQuery<ITasksClaimManyFromParams,ITasksClaimManyFromResult>(tasksClaimManyFromIR);


/** 'TasksFindClaimHead' parameters type */
export interface ITasksFindClaimHeadParams {
  queueName: string;
  taskNames: stringArray;
  versions: numberArray;
}

/** 'TasksFindClaimHead' return type */
export interface ITasksFindClaimHeadResult {
  priority: number | null;
  read_ms: number;
  scheduled_at_ms: number | null;
}

/** 'TasksFindClaimHead' query type */
export interface ITasksFindClaimHeadQuery {
  params: ITasksFindClaimHeadParams;
  result: ITasksFindClaimHeadResult;
}

const tasksFindClaimHeadIR: any = {"usedParamSet":{"taskNames":true,"versions":true,"queueName":true},"params":[{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":1002,"b":1012}]},{"name":"versions","required":true,"transform":{"type":"scalar"},"locs":[{"a":1023,"b":1032}]},{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":1225,"b":1235}]}],"statement":"-- The first due task in claim order over a queue's (name, version) ranges, read without a lock:\n-- where a claim from the head would start. A claimer that claims from a start of its own\n-- (TasksClaimMany) reads it once per poll interval and moves its start back to it when a task\n-- landed before (given back, rescued, woken, enqueued in a transaction that committed late).\n-- This read walks the dead entries a claim from the start skips; it is off the claim path.\n-- One row always, with the time the database took to find the head (or none): whether the head\n-- reads slowly is the database's walk over dead entries, not the round trip, which on a network\n-- (or an idle VM waking up) alone can be past the threshold.\nSELECT h.priority AS \"priority?\", date_part('epoch', h.scheduled_at) * 1000 AS scheduled_at_ms,\n       date_part('epoch', clock_timestamp() - statement_timestamp()) * 1000 AS \"read_ms!\"\nFROM (SELECT 1) AS one\nLEFT JOIN LATERAL (\n  SELECT x.priority, x.scheduled_at\n  FROM unnest(:taskNames!::text[], :versions!::integer[]) AS n(name, version)\n  CROSS JOIN LATERAL (\n    SELECT b.id, b.priority, b.scheduled_at\n    FROM backie_tasks b\n    WHERE b.state = 'ready' AND b.parked IS NULL AND b.queue_name = :queueName! AND b.task_name = n.name AND b.payload_version = n.version\n      AND b.scheduled_at <= now()\n    ORDER BY b.priority DESC, b.scheduled_at, b.id\n    LIMIT 1\n  ) x\n  ORDER BY x.priority DESC, x.scheduled_at, x.id\n  LIMIT 1\n) h ON true"};

/**
 * Query generated from SQL:
 * ```
 * -- The first due task in claim order over a queue's (name, version) ranges, read without a lock:
 * -- where a claim from the head would start. A claimer that claims from a start of its own
 * -- (TasksClaimMany) reads it once per poll interval and moves its start back to it when a task
 * -- landed before (given back, rescued, woken, enqueued in a transaction that committed late).
 * -- This read walks the dead entries a claim from the start skips; it is off the claim path.
 * -- One row always, with the time the database took to find the head (or none): whether the head
 * -- reads slowly is the database's walk over dead entries, not the round trip, which on a network
 * -- (or an idle VM waking up) alone can be past the threshold.
 * SELECT h.priority AS "priority?", date_part('epoch', h.scheduled_at) * 1000 AS scheduled_at_ms,
 *        date_part('epoch', clock_timestamp() - statement_timestamp()) * 1000 AS "read_ms!"
 * FROM (SELECT 1) AS one
 * LEFT JOIN LATERAL (
 *   SELECT x.priority, x.scheduled_at
 *   FROM unnest(:taskNames!::text[], :versions!::integer[]) AS n(name, version)
 *   CROSS JOIN LATERAL (
 *     SELECT b.id, b.priority, b.scheduled_at
 *     FROM backie_tasks b
 *     WHERE b.state = 'ready' AND b.parked IS NULL AND b.queue_name = :queueName! AND b.task_name = n.name AND b.payload_version = n.version
 *       AND b.scheduled_at <= now()
 *     ORDER BY b.priority DESC, b.scheduled_at, b.id
 *     LIMIT 1
 *   ) x
 *   ORDER BY x.priority DESC, x.scheduled_at, x.id
 *   LIMIT 1
 * ) h ON true
 * ```
 */
export const tasksFindClaimHead = new PreparedQuery<ITasksFindClaimHeadParams,ITasksFindClaimHeadResult>(tasksFindClaimHeadIR);


/** 'TasksClaimKeyedMany' parameters type */
export interface ITasksClaimKeyedManyParams {
  after?: string | null | void;
  chain: number;
  fifos: booleanArray;
  leaseMs: NumberOrString;
  limit: number;
  limits: numberArray;
  now?: DateOrString | null | void;
  owner: string;
  queueName: string;
  taskNames: stringArray;
  versions: numberArray;
}

/** 'TasksClaimKeyedMany' return type */
export interface ITasksClaimKeyedManyResult {
  attempts: number | null;
  concurrency_key: string | null;
  created_at_ms: number | null;
  fan_in_id: string | null;
  id: string | null;
  lease_token: number | null;
  max_retries: number | null;
  payload: Json | null;
  payload_version: number | null;
  priority: number | null;
  schedule_for_ms: number | null;
  schedule_id: string | null;
  schedule_missed: number | null;
  scheduled_at_ms: number | null;
  started_at_ms: number | null;
  task_name: string | null;
  trace_context: Json | null;
}

/** 'TasksClaimKeyedMany' query type */
export interface ITasksClaimKeyedManyQuery {
  params: ITasksClaimKeyedManyParams;
  result: ITasksClaimKeyedManyResult;
}

const tasksClaimKeyedManyIR: any = {"usedParamSet":{"queueName":true,"taskNames":true,"limits":true,"fifos":true,"versions":true,"after":true,"limit":true,"owner":true,"leaseMs":true,"now":true,"chain":true},"params":[{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":823,"b":833}]},{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":836,"b":846}]},{"name":"limits","required":true,"transform":{"type":"scalar"},"locs":[{"a":857,"b":864}]},{"name":"fifos","required":true,"transform":{"type":"scalar"},"locs":[{"a":878,"b":884}]},{"name":"versions","required":true,"transform":{"type":"scalar"},"locs":[{"a":898,"b":907}]},{"name":"after","required":false,"transform":{"type":"scalar"},"locs":[{"a":921,"b":926}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":959,"b":965}]},{"name":"owner","required":true,"transform":{"type":"scalar"},"locs":[{"a":977,"b":983}]},{"name":"leaseMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":986,"b":994}]},{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":1005,"b":1008}]},{"name":"chain","required":true,"transform":{"type":"scalar"},"locs":[{"a":1024,"b":1030}]}],"statement":"-- Claims tasks of names with a per-key concurrency limit (see backie_claim_keyed in migration\n-- 0008: exact across processes, round-robin over keys from :after; chains of up to :chain\n-- tasks of a free key at limit 1, migration 0016). In walk order, a key's chain in claim order.\n-- Same columns as TasksClaimMany, plus the key.\nSELECT t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,\n       t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,\n       date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,\n       t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,\n       t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms,\n       t.concurrency_key\nFROM backie_claim_keyed(:queueName!, :taskNames!::text[], :limits!::integer[], :fifos!::boolean[], :versions!::integer[], :after::text,\n                        :limit!::integer, :owner!, :leaseMs!::bigint, :now::timestamptz, :chain!::integer) t"};

/**
 * Query generated from SQL:
 * ```
 * -- Claims tasks of names with a per-key concurrency limit (see backie_claim_keyed in migration
 * -- 0008: exact across processes, round-robin over keys from :after; chains of up to :chain
 * -- tasks of a free key at limit 1, migration 0016). In walk order, a key's chain in claim order.
 * -- Same columns as TasksClaimMany, plus the key.
 * SELECT t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,
 *        t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,
 *        date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,
 *        t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,
 *        t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms,
 *        t.concurrency_key
 * FROM backie_claim_keyed(:queueName!, :taskNames!::text[], :limits!::integer[], :fifos!::boolean[], :versions!::integer[], :after::text,
 *                         :limit!::integer, :owner!, :leaseMs!::bigint, :now::timestamptz, :chain!::integer) t
 * ```
 */
export const tasksClaimKeyedMany = new PreparedQuery<ITasksClaimKeyedManyParams,ITasksClaimKeyedManyResult>(tasksClaimKeyedManyIR);


/** 'TasksClaimLimitedMany' parameters type */
export interface ITasksClaimLimitedManyParams {
  bucket: string;
  burst: number;
  leaseMs: NumberOrString;
  limit: number;
  max: number;
  now?: DateOrString | null | void;
  owner: string;
  perMs: NumberOrString;
  queueName: string;
  taskNames: stringArray;
  versions: numberArray;
}

/** 'TasksClaimLimitedMany' return type */
export interface ITasksClaimLimitedManyResult {
  attempts: number | null;
  created_at_ms: number | null;
  fan_in_id: string | null;
  id: string | null;
  lease_token: number | null;
  max_retries: number | null;
  payload: Json | null;
  payload_version: number | null;
  priority: number | null;
  schedule_for_ms: number | null;
  schedule_id: string | null;
  schedule_missed: number | null;
  scheduled_at_ms: number | null;
  started_at_ms: number | null;
  task_name: string | null;
  trace_context: Json | null;
}

/** 'TasksClaimLimitedMany' query type */
export interface ITasksClaimLimitedManyQuery {
  params: ITasksClaimLimitedManyParams;
  result: ITasksClaimLimitedManyResult;
}

const tasksClaimLimitedManyIR: any = {"usedParamSet":{"bucket":true,"max":true,"perMs":true,"burst":true,"queueName":true,"taskNames":true,"versions":true,"limit":true,"owner":true,"leaseMs":true,"now":true},"params":[{"name":"bucket","required":true,"transform":{"type":"scalar"},"locs":[{"a":675,"b":682}]},{"name":"max","required":true,"transform":{"type":"scalar"},"locs":[{"a":685,"b":689}]},{"name":"perMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":701,"b":707}]},{"name":"burst","required":true,"transform":{"type":"scalar"},"locs":[{"a":718,"b":724}]},{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":736,"b":746}]},{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":749,"b":759}]},{"name":"versions","required":true,"transform":{"type":"scalar"},"locs":[{"a":770,"b":779}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":819,"b":825}]},{"name":"owner","required":true,"transform":{"type":"scalar"},"locs":[{"a":837,"b":843}]},{"name":"leaseMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":846,"b":854}]},{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":865,"b":868}]}],"statement":"-- Claims tasks of names under one rate limit: no more than its bucket holds tokens, one token\n-- each (see backie_claim_limited in migration 0010: exact across processes). Same columns as\n-- TasksClaimMany.\nSELECT t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,\n       t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,\n       date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,\n       t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,\n       t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms\nFROM backie_claim_limited(:bucket!, :max!::integer, :perMs!::bigint, :burst!::integer, :queueName!, :taskNames!::text[], :versions!::integer[],\n                          :limit!::integer, :owner!, :leaseMs!::bigint, :now::timestamptz) t"};

/**
 * Query generated from SQL:
 * ```
 * -- Claims tasks of names under one rate limit: no more than its bucket holds tokens, one token
 * -- each (see backie_claim_limited in migration 0010: exact across processes). Same columns as
 * -- TasksClaimMany.
 * SELECT t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries,
 *        t.lease_token, date_part('epoch', t.created_at) * 1000 AS created_at_ms,
 *        date_part('epoch', t.scheduled_at) * 1000 AS scheduled_at_ms,
 *        t.schedule_id, date_part('epoch', t.schedule_for) * 1000 AS schedule_for_ms, t.schedule_missed,
 *        t.trace_context, t.fan_in_id, t.payload_version, date_part('epoch', t.started_at) * 1000 AS started_at_ms
 * FROM backie_claim_limited(:bucket!, :max!::integer, :perMs!::bigint, :burst!::integer, :queueName!, :taskNames!::text[], :versions!::integer[],
 *                           :limit!::integer, :owner!, :leaseMs!::bigint, :now::timestamptz) t
 * ```
 */
export const tasksClaimLimitedMany = new PreparedQuery<ITasksClaimLimitedManyParams,ITasksClaimLimitedManyResult>(tasksClaimLimitedManyIR);


/** 'RateLimitFindWait' parameters type */
export interface IRateLimitFindWaitParams {
  bucket: string;
  burst: number;
  max: number;
  perMs: number;
}

/** 'RateLimitFindWait' return type */
export interface IRateLimitFindWaitResult {
  wait_ms: number;
}

/** 'RateLimitFindWait' query type */
export interface IRateLimitFindWaitQuery {
  params: IRateLimitFindWaitParams;
  result: IRateLimitFindWaitResult;
}

const rateLimitFindWaitIR: any = {"usedParamSet":{"burst":true,"max":true,"perMs":true,"bucket":true},"params":[{"name":"burst","required":true,"transform":{"type":"scalar"},"locs":[{"a":180,"b":186},{"a":436,"b":442}]},{"name":"max","required":true,"transform":{"type":"scalar"},"locs":[{"a":386,"b":390},{"a":485,"b":489}]},{"name":"perMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":402,"b":408},{"a":467,"b":473}]},{"name":"bucket","required":true,"transform":{"type":"scalar"},"locs":[{"a":565,"b":572}]}],"statement":"-- Milliseconds until a bucket holds a whole token again (0 if it does, or does not exist yet):\n-- when a runner should claim its limited tasks next.\nSELECT greatest(0, (1 - least(:burst!::float8, greatest(coalesce(nullif(r.tokens, 'NaN'), 0), 0)\n         + CASE WHEN isfinite(r.refilled_at)\n             THEN greatest(0, extract(epoch FROM clock_timestamp() - r.refilled_at) * 1000) * :max!::float8 / :perMs!::float8\n             ELSE :burst!::float8 END))\n       * :perMs!::float8 / :max!::float8)::float8 AS \"wait_ms!\"\nFROM backie_rate_limits r\nWHERE r.bucket = :bucket!"};

/**
 * Query generated from SQL:
 * ```
 * -- Milliseconds until a bucket holds a whole token again (0 if it does, or does not exist yet):
 * -- when a runner should claim its limited tasks next.
 * SELECT greatest(0, (1 - least(:burst!::float8, greatest(coalesce(nullif(r.tokens, 'NaN'), 0), 0)
 *          + CASE WHEN isfinite(r.refilled_at)
 *              THEN greatest(0, extract(epoch FROM clock_timestamp() - r.refilled_at) * 1000) * :max!::float8 / :perMs!::float8
 *              ELSE :burst!::float8 END))
 *        * :perMs!::float8 / :max!::float8)::float8 AS "wait_ms!"
 * FROM backie_rate_limits r
 * WHERE r.bucket = :bucket!
 * ```
 */
export const rateLimitFindWait = new PreparedQuery<IRateLimitFindWaitParams,IRateLimitFindWaitResult>(rateLimitFindWaitIR);


/** 'FanInInsert' parameters type */
export interface IFanInInsertParams {
  children: Json;
  fanKey: string;
  maxRetries: number;
  onChildFailure: string;
  parentId: NumberOrString;
  payload: Json;
  payloadVersion: number;
  priority: number;
  queueName: string;
  taskName: string;
  total: number;
}

/** 'FanInInsert' return type */
export interface IFanInInsertResult {
  child_ids: stringArray;
  created: boolean;
  fan_in_id: string;
}

/** 'FanInInsert' query type */
export interface IFanInInsertQuery {
  params: IFanInInsertParams;
  result: IFanInInsertResult;
}

const fanInInsertIR: any = {"usedParamSet":{"parentId":true,"fanKey":true,"taskName":true,"queueName":true,"payload":true,"priority":true,"maxRetries":true,"onChildFailure":true,"total":true,"payloadVersion":true,"children":true},"params":[{"name":"parentId","required":true,"transform":{"type":"scalar"},"locs":[{"a":641,"b":650},{"a":3045,"b":3054}]},{"name":"fanKey","required":true,"transform":{"type":"scalar"},"locs":[{"a":653,"b":660},{"a":3072,"b":3079}]},{"name":"taskName","required":true,"transform":{"type":"scalar"},"locs":[{"a":663,"b":672},{"a":2172,"b":2181}]},{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":675,"b":685},{"a":2184,"b":2194}]},{"name":"payload","required":true,"transform":{"type":"scalar"},"locs":[{"a":688,"b":696},{"a":2197,"b":2205}]},{"name":"priority","required":true,"transform":{"type":"scalar"},"locs":[{"a":706,"b":715},{"a":2244,"b":2253}]},{"name":"maxRetries","required":true,"transform":{"type":"scalar"},"locs":[{"a":718,"b":729},{"a":2256,"b":2267}]},{"name":"onChildFailure","required":true,"transform":{"type":"scalar"},"locs":[{"a":732,"b":747}]},{"name":"total","required":true,"transform":{"type":"scalar"},"locs":[{"a":760,"b":766},{"a":778,"b":784},{"a":806,"b":812},{"a":2313,"b":2319}]},{"name":"payloadVersion","required":true,"transform":{"type":"scalar"},"locs":[{"a":843,"b":858},{"a":2270,"b":2285}]},{"name":"children","required":true,"transform":{"type":"scalar"},"locs":[{"a":1384,"b":1393}]}],"statement":"-- A run's fan-out, in one statement: the fan-in (its continuation and pending count), the\n-- children (tagged with it) and their places. A rerun of the parent (same :parentId and\n-- :fanKey) inserts nothing and gets the first fan-out's ids back. Without children the\n-- continuation is inserted at once, with `children: []`. Children are in :children order; ids\n-- of one statement's rows rise in insert order, so their places follow from the ids.\nWITH fan AS (\n  INSERT INTO backie_fan_ins (parent_id, fan_key, task_name, queue_name, payload, priority, max_retries, on_child_failure, total, pending, resumed_at, payload_version)\n  VALUES (:parentId!, :fanKey!, :taskName!, :queueName!, :payload!::jsonb, :priority!, :maxRetries!, :onChildFailure!,\n          :total!::integer, :total!::integer, CASE WHEN :total!::integer = 0 THEN now() END, :payloadVersion!::integer)\n  ON CONFLICT (parent_id, fan_key) DO NOTHING\n  RETURNING id\n), children AS (\n  INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, trace_context, concurrency_key, payload_version, scheduled_at, fan_in_id)\n  SELECT c.task_name, c.queue_name, c.payload, c.priority, c.max_retries, c.trace_context, c.concurrency_key, coalesce(c.payload_version, 0),\n         coalesce(c.run_at, now() + coalesce(c.delay_ms, 0) * interval '1 millisecond'), fan.id\n  FROM fan, ROWS FROM (json_to_recordset(:children!::json) AS (\n    task_name text, queue_name text, payload jsonb, priority integer,\n    max_retries integer, run_at timestamptz, delay_ms bigint, trace_context jsonb, concurrency_key text, payload_version integer)) WITH ORDINALITY AS c(\n    task_name, queue_name, payload, priority, max_retries, run_at, delay_ms, trace_context, concurrency_key, payload_version, ord)\n  ORDER BY c.ord\n  RETURNING id, task_name, queue_name, scheduled_at, fan_in_id\n), places AS (\n  INSERT INTO backie_fan_in_children (fan_in_id, position, child_id, task_name)\n  SELECT fan_in_id, row_number() OVER (ORDER BY id) - 1, id, task_name FROM children\n  RETURNING child_id\n), continuation AS (\n  INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, payload_version)\n  SELECT :taskName!, :queueName!, :payload!::jsonb || '{\"children\": []}'::jsonb, :priority!, :maxRetries!, :payloadVersion!::integer\n  FROM fan WHERE :total!::integer = 0\n  RETURNING id, queue_name\n), notified AS (\n  SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT q.queue_name, ','))\n  FROM (SELECT queue_name FROM children WHERE scheduled_at <= now() UNION ALL SELECT queue_name FROM continuation) q\n  HAVING count(*) > 0\n)\nSELECT fan.id::text AS \"fan_in_id!\", true AS \"created!\",\n       coalesce((SELECT array_agg(child_id::text ORDER BY child_id) FROM places), '{}') AS \"child_ids!\"\nFROM fan LEFT JOIN notified ON true\nUNION ALL\nSELECT f.id::text, false,\n       coalesce((SELECT array_agg(c.child_id::text ORDER BY c.position) FROM backie_fan_in_children c WHERE c.fan_in_id = f.id), '{}')\nFROM backie_fan_ins f\nWHERE NOT EXISTS (SELECT 1 FROM fan) AND f.parent_id = :parentId! AND f.fan_key = :fanKey!"};

/**
 * Query generated from SQL:
 * ```
 * -- A run's fan-out, in one statement: the fan-in (its continuation and pending count), the
 * -- children (tagged with it) and their places. A rerun of the parent (same :parentId and
 * -- :fanKey) inserts nothing and gets the first fan-out's ids back. Without children the
 * -- continuation is inserted at once, with `children: []`. Children are in :children order; ids
 * -- of one statement's rows rise in insert order, so their places follow from the ids.
 * WITH fan AS (
 *   INSERT INTO backie_fan_ins (parent_id, fan_key, task_name, queue_name, payload, priority, max_retries, on_child_failure, total, pending, resumed_at, payload_version)
 *   VALUES (:parentId!, :fanKey!, :taskName!, :queueName!, :payload!::jsonb, :priority!, :maxRetries!, :onChildFailure!,
 *           :total!::integer, :total!::integer, CASE WHEN :total!::integer = 0 THEN now() END, :payloadVersion!::integer)
 *   ON CONFLICT (parent_id, fan_key) DO NOTHING
 *   RETURNING id
 * ), children AS (
 *   INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, trace_context, concurrency_key, payload_version, scheduled_at, fan_in_id)
 *   SELECT c.task_name, c.queue_name, c.payload, c.priority, c.max_retries, c.trace_context, c.concurrency_key, coalesce(c.payload_version, 0),
 *          coalesce(c.run_at, now() + coalesce(c.delay_ms, 0) * interval '1 millisecond'), fan.id
 *   FROM fan, ROWS FROM (json_to_recordset(:children!::json) AS (
 *     task_name text, queue_name text, payload jsonb, priority integer,
 *     max_retries integer, run_at timestamptz, delay_ms bigint, trace_context jsonb, concurrency_key text, payload_version integer)) WITH ORDINALITY AS c(
 *     task_name, queue_name, payload, priority, max_retries, run_at, delay_ms, trace_context, concurrency_key, payload_version, ord)
 *   ORDER BY c.ord
 *   RETURNING id, task_name, queue_name, scheduled_at, fan_in_id
 * ), places AS (
 *   INSERT INTO backie_fan_in_children (fan_in_id, position, child_id, task_name)
 *   SELECT fan_in_id, row_number() OVER (ORDER BY id) - 1, id, task_name FROM children
 *   RETURNING child_id
 * ), continuation AS (
 *   INSERT INTO backie_tasks (task_name, queue_name, payload, priority, max_retries, payload_version)
 *   SELECT :taskName!, :queueName!, :payload!::jsonb || '{"children": []}'::jsonb, :priority!, :maxRetries!, :payloadVersion!::integer
 *   FROM fan WHERE :total!::integer = 0
 *   RETURNING id, queue_name
 * ), notified AS (
 *   SELECT pg_notify('backie_tasks_ready', string_agg(DISTINCT q.queue_name, ','))
 *   FROM (SELECT queue_name FROM children WHERE scheduled_at <= now() UNION ALL SELECT queue_name FROM continuation) q
 *   HAVING count(*) > 0
 * )
 * SELECT fan.id::text AS "fan_in_id!", true AS "created!",
 *        coalesce((SELECT array_agg(child_id::text ORDER BY child_id) FROM places), '{}') AS "child_ids!"
 * FROM fan LEFT JOIN notified ON true
 * UNION ALL
 * SELECT f.id::text, false,
 *        coalesce((SELECT array_agg(c.child_id::text ORDER BY c.position) FROM backie_fan_in_children c WHERE c.fan_in_id = f.id), '{}')
 * FROM backie_fan_ins f
 * WHERE NOT EXISTS (SELECT 1 FROM fan) AND f.parent_id = :parentId! AND f.fan_key = :fanKey!
 * ```
 */
export const fanInInsert = new PreparedQuery<IFanInInsertParams,IFanInInsertResult>(fanInInsertIR);


/** 'TasksAdoptKeyless' parameters type */
export interface ITasksAdoptKeylessParams {
  queueName: string;
  taskNames: stringArray;
}

/** 'TasksAdoptKeyless' return type */
export interface ITasksAdoptKeylessResult {
  adopted: number;
}

/** 'TasksAdoptKeyless' query type */
export interface ITasksAdoptKeylessQuery {
  params: ITasksAdoptKeylessParams;
  result: ITasksAdoptKeylessResult;
}

const tasksAdoptKeylessIR: any = {"usedParamSet":{"queueName":true,"taskNames":true},"params":[{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":362,"b":372}]},{"name":"taskNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":394,"b":404}]}],"statement":"-- Ready tasks of keyed names that carry no key (enqueued before the name had a concurrencyKey,\n-- or by an older client) join the shared key '' at pool start, so that the keyed claim sees\n-- them: without a key they would wait forever.\nWITH adopted AS (\n  UPDATE backie_tasks SET concurrency_key = ''\n  WHERE state = 'ready' AND parked IS NULL AND queue_name = :queueName! AND task_name = ANY(:taskNames!::text[]) AND concurrency_key IS NULL\n  RETURNING 1\n)\nSELECT count(*)::integer AS \"adopted!\" FROM adopted"};

/**
 * Query generated from SQL:
 * ```
 * -- Ready tasks of keyed names that carry no key (enqueued before the name had a concurrencyKey,
 * -- or by an older client) join the shared key '' at pool start, so that the keyed claim sees
 * -- them: without a key they would wait forever.
 * WITH adopted AS (
 *   UPDATE backie_tasks SET concurrency_key = ''
 *   WHERE state = 'ready' AND parked IS NULL AND queue_name = :queueName! AND task_name = ANY(:taskNames!::text[]) AND concurrency_key IS NULL
 *   RETURNING 1
 * )
 * SELECT count(*)::integer AS "adopted!" FROM adopted
 * ```
 */
export const tasksAdoptKeyless = new PreparedQuery<ITasksAdoptKeylessParams,ITasksAdoptKeylessResult>(tasksAdoptKeylessIR);


/** 'TasksDeleteIfRunningMany' parameters type */
export interface ITasksDeleteIfRunningManyParams {
  ids: NumberOrStringArray;
  ifExpired: boolean;
  tokens: Json;
}

/** 'TasksDeleteIfRunningMany' return type */
export interface ITasksDeleteIfRunningManyResult {
  removed_ids: stringArray | null;
}

/** 'TasksDeleteIfRunningMany' query type */
export interface ITasksDeleteIfRunningManyQuery {
  params: ITasksDeleteIfRunningManyParams;
  result: ITasksDeleteIfRunningManyResult;
}

const tasksDeleteIfRunningManyIR: any = {"usedParamSet":{"ids":true,"tokens":true,"ifExpired":true},"params":[{"name":"ids","required":true,"transform":{"type":"scalar"},"locs":[{"a":1576,"b":1580},{"a":1813,"b":1817}]},{"name":"tokens","required":true,"transform":{"type":"scalar"},"locs":[{"a":1648,"b":1655}]},{"name":"ifExpired","required":true,"transform":{"type":"scalar"},"locs":[{"a":1702,"b":1712}]}],"statement":"-- Finishes tasks whose result is not kept. Fenced: a row is only touched while the caller's\n-- lease token is current, so a runner that lost its lease cannot delete a newer run.\n-- \"Still leased\" is `lease_owner IS NOT NULL` (set exactly while running) rather than\n-- `state = 'running'`, which would tempt the planner into the lease index.\n-- :ifExpired (the rescuer) also requires the lease to have expired, so a worker that renewed it\n-- in the meantime keeps its task.\n-- One table and no join: the rows are read by one index scan over the sorted ids, and each\n-- row's token is looked up in :tokens, a JSON object from id to token (a binary search over its\n-- keys). Joined to the batch, the rows were found by a primary-key probe per id, 7.6-8 µs a row\n-- of a live run's deletes (`npm run bench -- --only process`, pg_stat_statements) against 3\n-- for a bare `DELETE ... WHERE id = ANY`; and a join that also scans by `id = ANY` lets the\n-- planner repeat that scan inside a nested loop, once per id (seconds for 5,000 results).\n-- Both parameters are sent as text, which PostgreSQL reads once, when the statement is bound: the\n-- ids as an array literal (pg's own array serializer quotes and escapes each element), the tokens\n-- as JSON. (Cast inside the statement instead, `::text::jsonb`, the tokens were parsed again for\n-- every row: 230 ms for 600 results.)\n-- Returns the ids removed, and only when some of :ids were not (usually none are): no row per\n-- task to send back, and no join to plan.\nWITH removed AS (\n  DELETE FROM backie_tasks t\n  WHERE t.id = ANY(:ids!::bigint[]) AND t.lease_owner IS NOT NULL\n    AND t.lease_token = (:tokens!::jsonb ->> t.id::text)::integer\n    AND (NOT :ifExpired!::boolean OR t.lease_expires_at < now())\n  RETURNING t.id\n)\nSELECT CASE WHEN count(*) = cardinality(:ids!::bigint[]) THEN NULL ELSE coalesce(array_agg(id), '{}') END AS removed_ids\nFROM removed"};

/**
 * Query generated from SQL:
 * ```
 * -- Finishes tasks whose result is not kept. Fenced: a row is only touched while the caller's
 * -- lease token is current, so a runner that lost its lease cannot delete a newer run.
 * -- "Still leased" is `lease_owner IS NOT NULL` (set exactly while running) rather than
 * -- `state = 'running'`, which would tempt the planner into the lease index.
 * -- :ifExpired (the rescuer) also requires the lease to have expired, so a worker that renewed it
 * -- in the meantime keeps its task.
 * -- One table and no join: the rows are read by one index scan over the sorted ids, and each
 * -- row's token is looked up in :tokens, a JSON object from id to token (a binary search over its
 * -- keys). Joined to the batch, the rows were found by a primary-key probe per id, 7.6-8 µs a row
 * -- of a live run's deletes (`npm run bench -- --only process`, pg_stat_statements) against 3
 * -- for a bare `DELETE ... WHERE id = ANY`; and a join that also scans by `id = ANY` lets the
 * -- planner repeat that scan inside a nested loop, once per id (seconds for 5,000 results).
 * -- Both parameters are sent as text, which PostgreSQL reads once, when the statement is bound: the
 * -- ids as an array literal (pg's own array serializer quotes and escapes each element), the tokens
 * -- as JSON. (Cast inside the statement instead, `::text::jsonb`, the tokens were parsed again for
 * -- every row: 230 ms for 600 results.)
 * -- Returns the ids removed, and only when some of :ids were not (usually none are): no row per
 * -- task to send back, and no join to plan.
 * WITH removed AS (
 *   DELETE FROM backie_tasks t
 *   WHERE t.id = ANY(:ids!::bigint[]) AND t.lease_owner IS NOT NULL
 *     AND t.lease_token = (:tokens!::jsonb ->> t.id::text)::integer
 *     AND (NOT :ifExpired!::boolean OR t.lease_expires_at < now())
 *   RETURNING t.id
 * )
 * SELECT CASE WHEN count(*) = cardinality(:ids!::bigint[]) THEN NULL ELSE coalesce(array_agg(id), '{}') END AS removed_ids
 * FROM removed
 * ```
 */
export const tasksDeleteIfRunningMany = new PreparedQuery<ITasksDeleteIfRunningManyParams,ITasksDeleteIfRunningManyResult>(tasksDeleteIfRunningManyIR);


/** 'TasksSetStateIfRunningMany' parameters type */
export interface ITasksSetStateIfRunningManyParams {
  ifExpired: boolean;
  items: Json;
  now?: DateOrString | null | void;
}

/** 'TasksSetStateIfRunningMany' return type */
export interface ITasksSetStateIfRunningManyResult {
  discarded_id: string | null;
}

/** 'TasksSetStateIfRunningMany' query type */
export interface ITasksSetStateIfRunningManyQuery {
  params: ITasksSetStateIfRunningManyParams;
  result: ITasksSetStateIfRunningManyResult;
}

const tasksSetStateIfRunningManyIR: any = {"usedParamSet":{"now":true,"items":true,"ifExpired":true},"params":[{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":1594,"b":1597},{"a":1744,"b":1747},{"a":1917,"b":1920},{"a":2943,"b":2946}]},{"name":"items","required":true,"transform":{"type":"scalar"},"locs":[{"a":2599,"b":2605},{"a":3039,"b":3045}]},{"name":"ifExpired","required":true,"transform":{"type":"scalar"},"locs":[{"a":2889,"b":2899}]}],"statement":"-- Moves running tasks to their next state: `done` or `failed` (finished, kept), or `ready` for a\n-- retry after `retry_delay_ms`, or `ready` in the same place of the queue when `retry_delay_ms`\n-- is null (a give-back on shutdown, a rescued lease: not the task's fault, so it does not go to\n-- the back of a backlog). `uncount` undoes the claim's attempt (a give-back).\n-- `parked` (ctx.sleep, ctx.waitFor): ready at `run_at` (null: never, until a signal); a wait whose\n-- signal is already in the inbox is due at once (this reads the inbox of the row it updates: a\n-- signal sent while it waits for the row lock is seen).\n-- Fenced by lease token like the delete above (and :ifExpired likewise); returns the ids NOT updated.\n-- It is written as a join with the items, the fence as a join clause (`OR x.token IS NULL`, never\n-- true): as a test of the table alone, statistics taken while no task ran (every lease_owner\n-- null) made the planner expect one leased row, scan the table for it and loop over the whole\n-- batch for each row found, 0.1 s for 1,000 results in a 50,000-row table. (The delete's scan by\n-- `id = ANY` is not used here: beside this join the planner may repeat it once per item.)\nWITH updated AS (\nUPDATE backie_tasks t\nSET state = x.state::backie_task_state,\n    errors = CASE WHEN x.error IS NULL THEN t.errors ELSE t.errors || jsonb_build_array(x.error) END,\n    scheduled_at = CASE\n      WHEN x.parked IS NOT NULL THEN\n        CASE WHEN x.waiting_for IS NOT NULL AND t.inbox @> jsonb_build_array(jsonb_build_object('name', x.waiting_for))\n             THEN coalesce(:now::timestamptz, now()) ELSE coalesce(x.run_at, 'infinity') END\n      WHEN x.state = 'ready' AND x.retry_delay_ms IS NOT NULL\n        THEN coalesce(:now::timestamptz, now()) + x.retry_delay_ms * interval '1 millisecond'\n      ELSE t.scheduled_at END,\n    finished_at = CASE WHEN x.state = 'ready' THEN NULL ELSE coalesce(:now::timestamptz, now()) END,\n    attempts = CASE WHEN x.uncount THEN greatest(t.attempts, 1) - 1 ELSE t.attempts END,\n    -- A fan-in child's return value, with its `done` (the fan-in trigger reads it).\n    result = CASE WHEN x.result IS NULL THEN t.result ELSE x.result END,\n    -- A wait whose signal is already there is not parked: due now, and in the claim index.\n    parked = CASE WHEN x.waiting_for IS NOT NULL AND t.inbox @> jsonb_build_array(jsonb_build_object('name', x.waiting_for))\n                  THEN NULL ELSE x.parked END,\n    waiting_for = x.waiting_for,\n    lease_owner = NULL,\n    lease_expires_at = NULL,\n    lease_confirmed_at = NULL\nFROM jsonb_to_recordset(:items!::jsonb) AS x(\n  id bigint, token integer, state text, error jsonb, retry_delay_ms bigint, uncount boolean, result jsonb,\n  run_at timestamptz, parked text, waiting_for text)\nWHERE t.id = x.id AND t.lease_token = x.token AND (t.lease_owner IS NOT NULL OR x.token IS NULL)\n  AND (NOT :ifExpired!::boolean OR t.lease_expires_at < coalesce(:now::timestamptz, now()))\nRETURNING t.id\n)\nSELECT x.id AS discarded_id\nFROM jsonb_to_recordset(:items!::jsonb) AS x(id bigint)\nWHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.id = x.id)"};

/**
 * Query generated from SQL:
 * ```
 * -- Moves running tasks to their next state: `done` or `failed` (finished, kept), or `ready` for a
 * -- retry after `retry_delay_ms`, or `ready` in the same place of the queue when `retry_delay_ms`
 * -- is null (a give-back on shutdown, a rescued lease: not the task's fault, so it does not go to
 * -- the back of a backlog). `uncount` undoes the claim's attempt (a give-back).
 * -- `parked` (ctx.sleep, ctx.waitFor): ready at `run_at` (null: never, until a signal); a wait whose
 * -- signal is already in the inbox is due at once (this reads the inbox of the row it updates: a
 * -- signal sent while it waits for the row lock is seen).
 * -- Fenced by lease token like the delete above (and :ifExpired likewise); returns the ids NOT updated.
 * -- It is written as a join with the items, the fence as a join clause (`OR x.token IS NULL`, never
 * -- true): as a test of the table alone, statistics taken while no task ran (every lease_owner
 * -- null) made the planner expect one leased row, scan the table for it and loop over the whole
 * -- batch for each row found, 0.1 s for 1,000 results in a 50,000-row table. (The delete's scan by
 * -- `id = ANY` is not used here: beside this join the planner may repeat it once per item.)
 * WITH updated AS (
 * UPDATE backie_tasks t
 * SET state = x.state::backie_task_state,
 *     errors = CASE WHEN x.error IS NULL THEN t.errors ELSE t.errors || jsonb_build_array(x.error) END,
 *     scheduled_at = CASE
 *       WHEN x.parked IS NOT NULL THEN
 *         CASE WHEN x.waiting_for IS NOT NULL AND t.inbox @> jsonb_build_array(jsonb_build_object('name', x.waiting_for))
 *              THEN coalesce(:now::timestamptz, now()) ELSE coalesce(x.run_at, 'infinity') END
 *       WHEN x.state = 'ready' AND x.retry_delay_ms IS NOT NULL
 *         THEN coalesce(:now::timestamptz, now()) + x.retry_delay_ms * interval '1 millisecond'
 *       ELSE t.scheduled_at END,
 *     finished_at = CASE WHEN x.state = 'ready' THEN NULL ELSE coalesce(:now::timestamptz, now()) END,
 *     attempts = CASE WHEN x.uncount THEN greatest(t.attempts, 1) - 1 ELSE t.attempts END,
 *     -- A fan-in child's return value, with its `done` (the fan-in trigger reads it).
 *     result = CASE WHEN x.result IS NULL THEN t.result ELSE x.result END,
 *     -- A wait whose signal is already there is not parked: due now, and in the claim index.
 *     parked = CASE WHEN x.waiting_for IS NOT NULL AND t.inbox @> jsonb_build_array(jsonb_build_object('name', x.waiting_for))
 *                   THEN NULL ELSE x.parked END,
 *     waiting_for = x.waiting_for,
 *     lease_owner = NULL,
 *     lease_expires_at = NULL,
 *     lease_confirmed_at = NULL
 * FROM jsonb_to_recordset(:items!::jsonb) AS x(
 *   id bigint, token integer, state text, error jsonb, retry_delay_ms bigint, uncount boolean, result jsonb,
 *   run_at timestamptz, parked text, waiting_for text)
 * WHERE t.id = x.id AND t.lease_token = x.token AND (t.lease_owner IS NOT NULL OR x.token IS NULL)
 *   AND (NOT :ifExpired!::boolean OR t.lease_expires_at < coalesce(:now::timestamptz, now()))
 * RETURNING t.id
 * )
 * SELECT x.id AS discarded_id
 * FROM jsonb_to_recordset(:items!::jsonb) AS x(id bigint)
 * WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.id = x.id)
 * ```
 */
export const tasksSetStateIfRunningMany = new PreparedQuery<ITasksSetStateIfRunningManyParams,ITasksSetStateIfRunningManyResult>(tasksSetStateIfRunningManyIR);


/** 'TasksSetProgressMany' parameters type */
export interface ITasksSetProgressManyParams {
  items: Json;
  now?: DateOrString | null | void;
}

/** 'TasksSetProgressMany' return type */
export type ITasksSetProgressManyResult = void;

/** 'TasksSetProgressMany' query type */
export interface ITasksSetProgressManyQuery {
  params: ITasksSetProgressManyParams;
  result: ITasksSetProgressManyResult;
}

const tasksSetProgressManyIR: any = {"usedParamSet":{"now":true,"items":true},"params":[{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":340,"b":343}]},{"name":"items","required":true,"transform":{"type":"scalar"},"locs":[{"a":390,"b":396}]}],"statement":"-- The latest progress of runs, one batch per pool and interval. Fenced by the claim's token\n-- only: a run that has just finished (its result written first) still gets its last value, but\n-- a later claim of the task (a new token) is never overwritten by an old run.\nUPDATE backie_tasks t\nSET progress = x.progress, progress_at = coalesce(:now::timestamptz, now())\nFROM jsonb_to_recordset(:items!::jsonb) AS x(id bigint, token integer, progress jsonb)\nWHERE t.id = x.id AND t.lease_token = x.token"};

/**
 * Query generated from SQL:
 * ```
 * -- The latest progress of runs, one batch per pool and interval. Fenced by the claim's token
 * -- only: a run that has just finished (its result written first) still gets its last value, but
 * -- a later claim of the task (a new token) is never overwritten by an old run.
 * UPDATE backie_tasks t
 * SET progress = x.progress, progress_at = coalesce(:now::timestamptz, now())
 * FROM jsonb_to_recordset(:items!::jsonb) AS x(id bigint, token integer, progress jsonb)
 * WHERE t.id = x.id AND t.lease_token = x.token
 * ```
 */
export const tasksSetProgressMany = new PreparedQuery<ITasksSetProgressManyParams,ITasksSetProgressManyResult>(tasksSetProgressManyIR);


/** 'TasksExtendLeaseMany' parameters type */
export interface ITasksExtendLeaseManyParams {
  confirm: boolean;
  ids: NumberOrStringArray;
  leaseMs: NumberOrString;
  now?: DateOrString | null | void;
  tokens: Json;
}

/** 'TasksExtendLeaseMany' return type */
export interface ITasksExtendLeaseManyResult {
  extended_ids: stringArray | null;
}

/** 'TasksExtendLeaseMany' query type */
export interface ITasksExtendLeaseManyQuery {
  params: ITasksExtendLeaseManyParams;
  result: ITasksExtendLeaseManyResult;
}

const tasksExtendLeaseManyIR: any = {"usedParamSet":{"now":true,"leaseMs":true,"confirm":true,"ids":true,"tokens":true},"params":[{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":343,"b":346},{"a":518,"b":521}]},{"name":"leaseMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":371,"b":379}]},{"name":"confirm","required":true,"transform":{"type":"scalar"},"locs":[{"a":454,"b":462}]},{"name":"ids","required":true,"transform":{"type":"scalar"},"locs":[{"a":626,"b":630},{"a":798,"b":802}]},{"name":"tokens","required":true,"transform":{"type":"scalar"},"locs":[{"a":698,"b":705}]}],"statement":"-- Heartbeat: extends the leases a worker still holds; returns the ids it still holds, and only\n-- when it lost some (as TasksDeleteIfRunningMany, whose plan this shares).\n-- :confirm marks them as started runs (a full lease, not a reservation: see migration 0015).\nWITH extended AS (\n  UPDATE backie_tasks t\n  SET lease_expires_at = coalesce(:now::timestamptz, now()) + :leaseMs!::bigint * interval '1 millisecond',\n      lease_confirmed_at = CASE WHEN :confirm!::boolean THEN coalesce(t.lease_confirmed_at, coalesce(:now::timestamptz, now()))\n                                ELSE t.lease_confirmed_at END\n  WHERE t.id = ANY(:ids!::bigint[]) AND t.lease_owner IS NOT NULL\n    AND t.lease_token = (:tokens!::jsonb ->> t.id::text)::integer\n  RETURNING t.id\n)\nSELECT CASE WHEN count(*) = cardinality(:ids!::bigint[]) THEN NULL ELSE coalesce(array_agg(id), '{}') END AS extended_ids\nFROM extended"};

/**
 * Query generated from SQL:
 * ```
 * -- Heartbeat: extends the leases a worker still holds; returns the ids it still holds, and only
 * -- when it lost some (as TasksDeleteIfRunningMany, whose plan this shares).
 * -- :confirm marks them as started runs (a full lease, not a reservation: see migration 0015).
 * WITH extended AS (
 *   UPDATE backie_tasks t
 *   SET lease_expires_at = coalesce(:now::timestamptz, now()) + :leaseMs!::bigint * interval '1 millisecond',
 *       lease_confirmed_at = CASE WHEN :confirm!::boolean THEN coalesce(t.lease_confirmed_at, coalesce(:now::timestamptz, now()))
 *                                 ELSE t.lease_confirmed_at END
 *   WHERE t.id = ANY(:ids!::bigint[]) AND t.lease_owner IS NOT NULL
 *     AND t.lease_token = (:tokens!::jsonb ->> t.id::text)::integer
 *   RETURNING t.id
 * )
 * SELECT CASE WHEN count(*) = cardinality(:ids!::bigint[]) THEN NULL ELSE coalesce(array_agg(id), '{}') END AS extended_ids
 * FROM extended
 * ```
 */
export const tasksExtendLeaseMany = new PreparedQuery<ITasksExtendLeaseManyParams,ITasksExtendLeaseManyResult>(tasksExtendLeaseManyIR);


/** 'TasksFindExpired' parameters type */
export interface ITasksFindExpiredParams {
  limit: NumberOrString;
  now?: DateOrString | null | void;
}

/** 'TasksFindExpired' return type */
export interface ITasksFindExpiredResult {
  attempts: number | null;
  confirmed: boolean | null;
  id: string | null;
  lapses: number | null;
  lease_expires_at: Date | null;
  lease_owner: string | null;
  lease_token: number | null;
  max_retries: number | null;
  queue_name: string | null;
  read_ms: number;
  task_name: string | null;
}

/** 'TasksFindExpired' query type */
export interface ITasksFindExpiredQuery {
  params: ITasksFindExpiredParams;
  result: ITasksFindExpiredResult;
}

const tasksFindExpiredIR: any = {"usedParamSet":{"now":true,"limit":true},"params":[{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":1857,"b":1860}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":1919,"b":1925}]}],"statement":"-- Running tasks whose lease expired (their worker crashed, hung or lost its connection), oldest\n-- expiry first. Read without locks: the rescuer decides each one's fate in code (the same policy\n-- as a failed run) and writes through the fenced updates above with :ifExpired, so a lease that\n-- was renewed or taken over since is left alone. Scans the running rows only (the running index):\n-- heartbeats stay HOT because lease_expires_at is in no index.\n-- `confirmed`: a started run's lease, not a reservation; `lapses`: reservations that expired\n-- before (each left an error of kind reservation_expired), which bound how many are given back.\n-- One row at least: none expired is a row of nulls. Each row says how long the database took to\n-- scan (`read_ms`, the sort waits for the whole scan): while an old snapshot keeps every finished\n-- run's entry in the running index, a scan walks all of them, and the rescuer spaces its scans\n-- out by it (rescuePause).\nSELECT e.id AS \"id?\", e.lease_token AS \"lease_token?\", e.task_name AS \"task_name?\", e.queue_name AS \"queue_name?\",\n       e.attempts AS \"attempts?\", e.max_retries AS \"max_retries?\", e.lease_owner, e.lease_expires_at AS \"lease_expires_at?\",\n       e.confirmed AS \"confirmed?\", e.lapses AS \"lapses?\",\n       date_part('epoch', clock_timestamp() - statement_timestamp()) * 1000 AS \"read_ms!\"\nFROM (SELECT 1) AS one\nLEFT JOIN LATERAL (\n  SELECT id, lease_token, task_name, queue_name, attempts, max_retries, lease_owner, lease_expires_at,\n         lease_confirmed_at IS NOT NULL AS confirmed,\n         (SELECT count(*) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(errors) = 'array' THEN errors ELSE '[]' END) x\n          WHERE jsonb_typeof(x) = 'object' AND x->>'kind' = 'reservation_expired')::integer AS lapses\n  FROM backie_tasks\n  WHERE state = 'running' AND lease_expires_at < coalesce(:now::timestamptz, now())\n  ORDER BY lease_expires_at\n  LIMIT :limit!\n) e ON true\nORDER BY e.lease_expires_at"};

/**
 * Query generated from SQL:
 * ```
 * -- Running tasks whose lease expired (their worker crashed, hung or lost its connection), oldest
 * -- expiry first. Read without locks: the rescuer decides each one's fate in code (the same policy
 * -- as a failed run) and writes through the fenced updates above with :ifExpired, so a lease that
 * -- was renewed or taken over since is left alone. Scans the running rows only (the running index):
 * -- heartbeats stay HOT because lease_expires_at is in no index.
 * -- `confirmed`: a started run's lease, not a reservation; `lapses`: reservations that expired
 * -- before (each left an error of kind reservation_expired), which bound how many are given back.
 * -- One row at least: none expired is a row of nulls. Each row says how long the database took to
 * -- scan (`read_ms`, the sort waits for the whole scan): while an old snapshot keeps every finished
 * -- run's entry in the running index, a scan walks all of them, and the rescuer spaces its scans
 * -- out by it (rescuePause).
 * SELECT e.id AS "id?", e.lease_token AS "lease_token?", e.task_name AS "task_name?", e.queue_name AS "queue_name?",
 *        e.attempts AS "attempts?", e.max_retries AS "max_retries?", e.lease_owner, e.lease_expires_at AS "lease_expires_at?",
 *        e.confirmed AS "confirmed?", e.lapses AS "lapses?",
 *        date_part('epoch', clock_timestamp() - statement_timestamp()) * 1000 AS "read_ms!"
 * FROM (SELECT 1) AS one
 * LEFT JOIN LATERAL (
 *   SELECT id, lease_token, task_name, queue_name, attempts, max_retries, lease_owner, lease_expires_at,
 *          lease_confirmed_at IS NOT NULL AS confirmed,
 *          (SELECT count(*) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(errors) = 'array' THEN errors ELSE '[]' END) x
 *           WHERE jsonb_typeof(x) = 'object' AND x->>'kind' = 'reservation_expired')::integer AS lapses
 *   FROM backie_tasks
 *   WHERE state = 'running' AND lease_expires_at < coalesce(:now::timestamptz, now())
 *   ORDER BY lease_expires_at
 *   LIMIT :limit!
 * ) e ON true
 * ORDER BY e.lease_expires_at
 * ```
 */
export const tasksFindExpired = new PreparedQuery<ITasksFindExpiredParams,ITasksFindExpiredResult>(tasksFindExpiredIR);


/** 'TasksFindMany' parameters type */
export interface ITasksFindManyParams {
  ids: NumberOrStringArray;
}

/** 'TasksFindMany' return type */
export interface ITasksFindManyResult {
  attempts: number;
  created_at: Date;
  errors: Json;
  finished_at: Date | null;
  id: string;
  inbox: Json | null;
  lease_confirmed: boolean;
  lease_expires_at: Date | null;
  lease_owner: string | null;
  lease_token: number;
  max_retries: number;
  parked: string | null;
  payload: Json;
  payload_version: number;
  priority: number;
  progress: Json | null;
  progress_at: Date | null;
  queue_name: string;
  schedule_for: Date | null;
  schedule_id: string | null;
  scheduled_at: Date;
  started_at: Date | null;
  state: backie_task_state;
  steps: Json | null;
  task_name: string;
  unique_key: string | null;
  waiting_for: string | null;
}

/** 'TasksFindMany' query type */
export interface ITasksFindManyQuery {
  params: ITasksFindManyParams;
  result: ITasksFindManyResult;
}

const tasksFindManyIR: any = {"usedParamSet":{"ids":true},"params":[{"name":"ids","required":true,"transform":{"type":"scalar"},"locs":[{"a":407,"b":411}]}],"statement":"SELECT id, task_name, queue_name, state, payload, priority, unique_key, attempts, max_retries,\n       errors, created_at, scheduled_at, started_at, finished_at, lease_owner, lease_token,\n       lease_expires_at, lease_confirmed_at IS NOT NULL AS \"lease_confirmed!\", schedule_id, schedule_for, progress, progress_at, payload_version,\n       steps, inbox, parked, waiting_for\nFROM backie_tasks\nWHERE id = ANY(:ids!::bigint[])\nORDER BY id"};

/**
 * Query generated from SQL:
 * ```
 * SELECT id, task_name, queue_name, state, payload, priority, unique_key, attempts, max_retries,
 *        errors, created_at, scheduled_at, started_at, finished_at, lease_owner, lease_token,
 *        lease_expires_at, lease_confirmed_at IS NOT NULL AS "lease_confirmed!", schedule_id, schedule_for, progress, progress_at, payload_version,
 *        steps, inbox, parked, waiting_for
 * FROM backie_tasks
 * WHERE id = ANY(:ids!::bigint[])
 * ORDER BY id
 * ```
 */
export const tasksFindMany = new PreparedQuery<ITasksFindManyParams,ITasksFindManyResult>(tasksFindManyIR);


/** 'TasksCountActive' parameters type */
export type ITasksCountActiveParams = void;

/** 'TasksCountActive' return type */
export interface ITasksCountActiveResult {
  claimed: number;
  count: number;
  oldest_ready_at: Date | null;
  oldest_running_since: Date | null;
  queue_name: string;
  sleeping: number;
  state: backie_task_state;
  task_name: string;
  waiting: number;
}

/** 'TasksCountActive' query type */
export interface ITasksCountActiveQuery {
  params: ITasksCountActiveParams;
  result: ITasksCountActiveResult;
}

const tasksCountActiveIR: any = {"usedParamSet":{},"params":[],"statement":"-- Ready, running and failed tasks per queue and name, each state read through its own partial\n-- index: the finished history (done, cancelled: possibly millions of rows) is never read.\n-- oldest_ready_at: the longest-waiting task that is due (not one scheduled for later);\n-- oldest_running_since: the longest run in progress, to spot one that hangs.\n-- Ready ones come from two indexes, the claim index and the parked one (sleeping and waiting tasks).\n-- claimed: running rows whose lease no worker confirmed (prefetched, or started moments ago).\nSELECT r.queue_name AS \"queue_name!\", r.task_name AS \"task_name!\", 'ready'::backie_task_state AS \"state!\", sum(r.n)::integer AS \"count!\",\n       min(r.oldest) AS \"oldest_ready_at\", NULL::timestamptz AS \"oldest_running_since\",\n       sum(r.sleeping)::integer AS \"sleeping!\", sum(r.waiting)::integer AS \"waiting!\", 0 AS \"claimed!\"\nFROM (\n  SELECT queue_name, task_name, count(*) AS n, min(scheduled_at) FILTER (WHERE scheduled_at <= now()) AS oldest, 0 AS sleeping, 0 AS waiting\n  FROM backie_tasks WHERE state = 'ready' AND parked IS NULL GROUP BY queue_name, task_name\n  UNION ALL\n  SELECT queue_name, task_name, count(*), min(scheduled_at) FILTER (WHERE scheduled_at <= now()),\n         count(*) FILTER (WHERE parked = 'sleeping' AND scheduled_at > now()), count(*) FILTER (WHERE parked = 'waiting' AND scheduled_at > now())\n  FROM backie_tasks WHERE state = 'ready' AND parked IS NOT NULL GROUP BY queue_name, task_name\n) r GROUP BY r.queue_name, r.task_name\nUNION ALL\nSELECT queue_name, task_name, 'running', count(*)::integer, NULL, min(started_at), 0, 0, count(*) FILTER (WHERE lease_confirmed_at IS NULL)::integer\nFROM backie_tasks WHERE state = 'running' GROUP BY queue_name, task_name\nUNION ALL\nSELECT queue_name, task_name, 'failed', count(*)::integer, NULL, NULL, 0, 0, 0\nFROM backie_tasks WHERE state = 'failed' GROUP BY queue_name, task_name\nORDER BY 1, 2, 3"};

/**
 * Query generated from SQL:
 * ```
 * -- Ready, running and failed tasks per queue and name, each state read through its own partial
 * -- index: the finished history (done, cancelled: possibly millions of rows) is never read.
 * -- oldest_ready_at: the longest-waiting task that is due (not one scheduled for later);
 * -- oldest_running_since: the longest run in progress, to spot one that hangs.
 * -- Ready ones come from two indexes, the claim index and the parked one (sleeping and waiting tasks).
 * -- claimed: running rows whose lease no worker confirmed (prefetched, or started moments ago).
 * SELECT r.queue_name AS "queue_name!", r.task_name AS "task_name!", 'ready'::backie_task_state AS "state!", sum(r.n)::integer AS "count!",
 *        min(r.oldest) AS "oldest_ready_at", NULL::timestamptz AS "oldest_running_since",
 *        sum(r.sleeping)::integer AS "sleeping!", sum(r.waiting)::integer AS "waiting!", 0 AS "claimed!"
 * FROM (
 *   SELECT queue_name, task_name, count(*) AS n, min(scheduled_at) FILTER (WHERE scheduled_at <= now()) AS oldest, 0 AS sleeping, 0 AS waiting
 *   FROM backie_tasks WHERE state = 'ready' AND parked IS NULL GROUP BY queue_name, task_name
 *   UNION ALL
 *   SELECT queue_name, task_name, count(*), min(scheduled_at) FILTER (WHERE scheduled_at <= now()),
 *          count(*) FILTER (WHERE parked = 'sleeping' AND scheduled_at > now()), count(*) FILTER (WHERE parked = 'waiting' AND scheduled_at > now())
 *   FROM backie_tasks WHERE state = 'ready' AND parked IS NOT NULL GROUP BY queue_name, task_name
 * ) r GROUP BY r.queue_name, r.task_name
 * UNION ALL
 * SELECT queue_name, task_name, 'running', count(*)::integer, NULL, min(started_at), 0, 0, count(*) FILTER (WHERE lease_confirmed_at IS NULL)::integer
 * FROM backie_tasks WHERE state = 'running' GROUP BY queue_name, task_name
 * UNION ALL
 * SELECT queue_name, task_name, 'failed', count(*)::integer, NULL, NULL, 0, 0, 0
 * FROM backie_tasks WHERE state = 'failed' GROUP BY queue_name, task_name
 * ORDER BY 1, 2, 3
 * ```
 */
export const tasksCountActive = new PreparedQuery<ITasksCountActiveParams,ITasksCountActiveResult>(tasksCountActiveIR);


/** 'TasksCountByState' parameters type */
export type ITasksCountByStateParams = void;

/** 'TasksCountByState' return type */
export interface ITasksCountByStateResult {
  claimed: number;
  count: number;
  oldest_ready_at: Date | null;
  oldest_running_since: Date | null;
  queue_name: string;
  sleeping: number;
  state: backie_task_state;
  task_name: string;
  waiting: number;
}

/** 'TasksCountByState' query type */
export interface ITasksCountByStateQuery {
  params: ITasksCountByStateParams;
  result: ITasksCountByStateResult;
}

const tasksCountByStateIR: any = {"usedParamSet":{},"params":[],"statement":"-- Every state, the finished history included: reads the whole table (`backie status --all`).\nSELECT queue_name, task_name, state, count(*)::integer AS \"count!\",\n       min(scheduled_at) FILTER (WHERE state = 'ready' AND scheduled_at <= now()) AS \"oldest_ready_at\",\n       min(started_at) FILTER (WHERE state = 'running') AS \"oldest_running_since\",\n       count(*) FILTER (WHERE state = 'ready' AND parked = 'sleeping' AND scheduled_at > now())::integer AS \"sleeping!\",\n       count(*) FILTER (WHERE state = 'ready' AND parked = 'waiting' AND scheduled_at > now())::integer AS \"waiting!\",\n       count(*) FILTER (WHERE state = 'running' AND lease_confirmed_at IS NULL)::integer AS \"claimed!\"\nFROM backie_tasks\nGROUP BY queue_name, task_name, state\nORDER BY queue_name, task_name, state"};

/**
 * Query generated from SQL:
 * ```
 * -- Every state, the finished history included: reads the whole table (`backie status --all`).
 * SELECT queue_name, task_name, state, count(*)::integer AS "count!",
 *        min(scheduled_at) FILTER (WHERE state = 'ready' AND scheduled_at <= now()) AS "oldest_ready_at",
 *        min(started_at) FILTER (WHERE state = 'running') AS "oldest_running_since",
 *        count(*) FILTER (WHERE state = 'ready' AND parked = 'sleeping' AND scheduled_at > now())::integer AS "sleeping!",
 *        count(*) FILTER (WHERE state = 'ready' AND parked = 'waiting' AND scheduled_at > now())::integer AS "waiting!",
 *        count(*) FILTER (WHERE state = 'running' AND lease_confirmed_at IS NULL)::integer AS "claimed!"
 * FROM backie_tasks
 * GROUP BY queue_name, task_name, state
 * ORDER BY queue_name, task_name, state
 * ```
 */
export const tasksCountByState = new PreparedQuery<ITasksCountByStateParams,ITasksCountByStateResult>(tasksCountByStateIR);


/** 'TasksListen' parameters type */
export type ITasksListenParams = void;

/** 'TasksListen' return type */
export type ITasksListenResult = void;

/** 'TasksListen' query type */
export interface ITasksListenQuery {
  params: ITasksListenParams;
  result: ITasksListenResult;
}

const tasksListenIR: any = {"usedParamSet":{},"params":[],"statement":"-- Idle workers wait on this channel; the insert trigger names the queues with new work.\nLISTEN backie_tasks_ready"};

/**
 * Query generated from SQL:
 * ```
 * -- Idle workers wait on this channel; the insert trigger names the queues with new work.
 * LISTEN backie_tasks_ready
 * ```
 */
export const tasksListen = new PreparedQuery<ITasksListenParams,ITasksListenResult>(tasksListenIR);


/** 'TasksPruneFinished' parameters type */
export interface ITasksPruneFinishedParams {
  limit: NumberOrString;
  now?: DateOrString | null | void;
  olderThanMs: NumberOrString;
  queueName: string;
}

/** 'TasksPruneFinished' return type */
export interface ITasksPruneFinishedResult {
  id: string;
}

/** 'TasksPruneFinished' query type */
export interface ITasksPruneFinishedQuery {
  params: ITasksPruneFinishedParams;
  result: ITasksPruneFinishedResult;
}

const tasksPruneFinishedIR: any = {"usedParamSet":{"queueName":true,"now":true,"olderThanMs":true,"limit":true},"params":[{"name":"queueName","required":true,"transform":{"type":"scalar"},"locs":[{"a":242,"b":252}]},{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":285,"b":288}]},{"name":"olderThanMs","required":true,"transform":{"type":"scalar"},"locs":[{"a":313,"b":325}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":370,"b":376}]}],"statement":"-- Deletes kept finished rows of one queue older than :olderThanMs, at most :limit per call.\nDELETE FROM backie_tasks\nWHERE id = ANY(ARRAY(\n  SELECT id\n  FROM backie_tasks\n  WHERE state IN ('done', 'failed', 'cancelled')\n    AND queue_name = :queueName!\n    AND finished_at < coalesce(:now::timestamptz, now()) - :olderThanMs!::bigint * interval '1 millisecond'\n  LIMIT :limit!\n))\nRETURNING id"};

/**
 * Query generated from SQL:
 * ```
 * -- Deletes kept finished rows of one queue older than :olderThanMs, at most :limit per call.
 * DELETE FROM backie_tasks
 * WHERE id = ANY(ARRAY(
 *   SELECT id
 *   FROM backie_tasks
 *   WHERE state IN ('done', 'failed', 'cancelled')
 *     AND queue_name = :queueName!
 *     AND finished_at < coalesce(:now::timestamptz, now()) - :olderThanMs!::bigint * interval '1 millisecond'
 *   LIMIT :limit!
 * ))
 * RETURNING id
 * ```
 */
export const tasksPruneFinished = new PreparedQuery<ITasksPruneFinishedParams,ITasksPruneFinishedResult>(tasksPruneFinishedIR);


/** 'TasksFindFailed' parameters type */
export interface ITasksFindFailedParams {
  limit: NumberOrString;
}

/** 'TasksFindFailed' return type */
export interface ITasksFindFailedResult {
  attempts: number;
  finished_at: Date | null;
  id: string;
  last_error: Json | null;
  max_retries: number;
  queue_name: string;
  task_name: string;
}

/** 'TasksFindFailed' query type */
export interface ITasksFindFailedQuery {
  params: ITasksFindFailedParams;
  result: ITasksFindFailedResult;
}

const tasksFindFailedIR: any = {"usedParamSet":{"limit":true},"params":[{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":416,"b":422}]}],"statement":"-- Most recent failures first, with their last error, for `backie failed`.\nSELECT id, task_name, queue_name, attempts, max_retries, finished_at,\n       -- Rows written by hand may hold anything in errors: only an array has a last entry.\n       CASE WHEN jsonb_typeof(errors) = 'array' THEN errors -> -1 END AS \"last_error\"\nFROM backie_tasks\nWHERE state = 'failed'\nORDER BY finished_at DESC NULLS LAST, id DESC\nLIMIT :limit!"};

/**
 * Query generated from SQL:
 * ```
 * -- Most recent failures first, with their last error, for `backie failed`.
 * SELECT id, task_name, queue_name, attempts, max_retries, finished_at,
 *        -- Rows written by hand may hold anything in errors: only an array has a last entry.
 *        CASE WHEN jsonb_typeof(errors) = 'array' THEN errors -> -1 END AS "last_error"
 * FROM backie_tasks
 * WHERE state = 'failed'
 * ORDER BY finished_at DESC NULLS LAST, id DESC
 * LIMIT :limit!
 * ```
 */
export const tasksFindFailed = new PreparedQuery<ITasksFindFailedParams,ITasksFindFailedResult>(tasksFindFailedIR);


/** 'TasksFindRunning' parameters type */
export interface ITasksFindRunningParams {
  limit: NumberOrString;
}

/** 'TasksFindRunning' return type */
export interface ITasksFindRunningResult {
  attempts: number;
  confirmed: boolean;
  id: string;
  lease_expires_at: Date | null;
  lease_owner: string | null;
  queue_name: string;
  started_at: Date | null;
  task_name: string;
}

/** 'TasksFindRunning' query type */
export interface ITasksFindRunningQuery {
  params: ITasksFindRunningParams;
  result: ITasksFindRunningResult;
}

const tasksFindRunningIR: any = {"usedParamSet":{"limit":true},"params":[{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":550,"b":556}]}],"statement":"-- Longest-held first, for `backie running`: spot (and cancel) a run that hangs. A prefetched\n-- task is `running` too, from its claim: `confirmed` tells a run whose worker confirmed its\n-- lease (it outlasted a quarter of its reservation) from one only claimed (prefetched, or\n-- started moments ago), as the dashboard's overview does.\nSELECT id, task_name, queue_name, attempts, started_at, lease_owner, lease_expires_at,\n       lease_confirmed_at IS NOT NULL AS \"confirmed!\"\nFROM backie_tasks\nWHERE state = 'running'\nORDER BY started_at, id\nLIMIT :limit!"};

/**
 * Query generated from SQL:
 * ```
 * -- Longest-held first, for `backie running`: spot (and cancel) a run that hangs. A prefetched
 * -- task is `running` too, from its claim: `confirmed` tells a run whose worker confirmed its
 * -- lease (it outlasted a quarter of its reservation) from one only claimed (prefetched, or
 * -- started moments ago), as the dashboard's overview does.
 * SELECT id, task_name, queue_name, attempts, started_at, lease_owner, lease_expires_at,
 *        lease_confirmed_at IS NOT NULL AS "confirmed!"
 * FROM backie_tasks
 * WHERE state = 'running'
 * ORDER BY started_at, id
 * LIMIT :limit!
 * ```
 */
export const tasksFindRunning = new PreparedQuery<ITasksFindRunningParams,ITasksFindRunningResult>(tasksFindRunningIR);


/** 'TaskRetry' parameters type */
export interface ITaskRetryParams {
  fromStart: boolean;
  id: NumberOrString;
}

/** 'TaskRetry' return type */
export interface ITaskRetryResult {
  id: string;
}

/** 'TaskRetry' query type */
export interface ITaskRetryQuery {
  params: ITaskRetryParams;
  result: ITaskRetryResult;
}

const taskRetryIR: any = {"usedParamSet":{"fromStart":true,"id":true},"params":[{"name":"fromStart","required":true,"transform":{"type":"scalar"},"locs":[{"a":374,"b":384}]},{"name":"id","required":true,"transform":{"type":"scalar"},"locs":[{"a":431,"b":434}]}],"statement":"-- A failed or cancelled task runs again with a fresh set of attempts; its error history stays.\n-- Its step history stays too (the run resumes after the last completed step) unless :fromStart.\nUPDATE backie_tasks\nSET state = 'ready', attempts = 0, scheduled_at = now(), finished_at = NULL, parked = NULL, waiting_for = NULL,\n    lease_confirmed_at = NULL, steps = CASE WHEN :fromStart!::boolean THEN NULL ELSE steps END\nWHERE id = :id! AND state IN ('failed', 'cancelled')\nRETURNING id"};

/**
 * Query generated from SQL:
 * ```
 * -- A failed or cancelled task runs again with a fresh set of attempts; its error history stays.
 * -- Its step history stays too (the run resumes after the last completed step) unless :fromStart.
 * UPDATE backie_tasks
 * SET state = 'ready', attempts = 0, scheduled_at = now(), finished_at = NULL, parked = NULL, waiting_for = NULL,
 *     lease_confirmed_at = NULL, steps = CASE WHEN :fromStart!::boolean THEN NULL ELSE steps END
 * WHERE id = :id! AND state IN ('failed', 'cancelled')
 * RETURNING id
 * ```
 */
export const taskRetry = new PreparedQuery<ITaskRetryParams,ITaskRetryResult>(taskRetryIR);


/** 'TaskCancel' parameters type */
export interface ITaskCancelParams {
  id: NumberOrString;
}

/** 'TaskCancel' return type */
export interface ITaskCancelResult {
  id: string;
  previous_state: backie_task_state;
}

/** 'TaskCancel' query type */
export interface ITaskCancelQuery {
  params: ITaskCancelParams;
  result: ITaskCancelResult;
}

const taskCancelIR: any = {"usedParamSet":{"id":true},"params":[{"name":"id","required":true,"transform":{"type":"scalar"},"locs":[{"a":296,"b":299}]}],"statement":"-- A ready task, or a running one: clearing its lease makes the worker's next heartbeat find it\n-- lost, abort the run and discard its result (every result write is fenced on the lease).\n-- Returns the state it was cancelled from.\nWITH target AS (\n  SELECT id, state FROM backie_tasks WHERE id = :id! AND state IN ('ready', 'running') FOR UPDATE\n)\nUPDATE backie_tasks t\nSET state = 'cancelled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL, lease_confirmed_at = NULL\nFROM target\nWHERE t.id = target.id\nRETURNING t.id, target.state AS previous_state"};

/**
 * Query generated from SQL:
 * ```
 * -- A ready task, or a running one: clearing its lease makes the worker's next heartbeat find it
 * -- lost, abort the run and discard its result (every result write is fenced on the lease).
 * -- Returns the state it was cancelled from.
 * WITH target AS (
 *   SELECT id, state FROM backie_tasks WHERE id = :id! AND state IN ('ready', 'running') FOR UPDATE
 * )
 * UPDATE backie_tasks t
 * SET state = 'cancelled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL, lease_confirmed_at = NULL
 * FROM target
 * WHERE t.id = target.id
 * RETURNING t.id, target.state AS previous_state
 * ```
 */
export const taskCancel = new PreparedQuery<ITaskCancelParams,ITaskCancelResult>(taskCancelIR);


/** 'ServerSettingsFind' parameters type */
export type IServerSettingsFindParams = void;

/** 'ServerSettingsFind' return type */
export interface IServerSettingsFindResult {
  autovacuum: boolean;
}

/** 'ServerSettingsFind' query type */
export interface IServerSettingsFindQuery {
  params: IServerSettingsFindParams;
  result: IServerSettingsFindResult;
}

const serverSettingsFindIR: any = {"usedParamSet":{},"params":[],"statement":"-- Server settings Backie depends on, for `backie status` to warn about: without autovacuum the\n-- task table grows without bound under churn.\nSELECT current_setting('autovacuum') = 'on' AS \"autovacuum!\""};

/**
 * Query generated from SQL:
 * ```
 * -- Server settings Backie depends on, for `backie status` to warn about: without autovacuum the
 * -- task table grows without bound under churn.
 * SELECT current_setting('autovacuum') = 'on' AS "autovacuum!"
 * ```
 */
export const serverSettingsFind = new PreparedQuery<IServerSettingsFindParams,IServerSettingsFindResult>(serverSettingsFindIR);


/** 'TasksWakeParked' parameters type */
export interface ITasksWakeParkedParams {
  limit: NumberOrString;
  now?: DateOrString | null | void;
  queueNames: stringArray;
}

/** 'TasksWakeParked' return type */
export interface ITasksWakeParkedResult {
  queue_name: string;
  woken: number;
}

/** 'TasksWakeParked' query type */
export interface ITasksWakeParkedQuery {
  params: ITasksWakeParkedParams;
  result: ITasksWakeParkedResult;
}

const tasksWakeParkedIR: any = {"usedParamSet":{"queueNames":true,"now":true,"limit":true},"params":[{"name":"queueNames","required":true,"transform":{"type":"scalar"},"locs":[{"a":467,"b":478}]},{"name":"now","required":false,"transform":{"type":"scalar"},"locs":[{"a":526,"b":529}]},{"name":"limit","required":true,"transform":{"type":"scalar"},"locs":[{"a":590,"b":596}]}],"statement":"-- Sleeping and waiting tasks of these queues whose time has come (a sleep's end, a wait's\n-- time-out) go back into the claim index: at most :limit, through the parked index, skipping\n-- rows another pool is waking. Returns the queues that got work, with how many each.\nWITH woken AS (\n  UPDATE backie_tasks t SET parked = NULL\n  WHERE t.id = ANY(ARRAY(\n    SELECT p.id FROM backie_tasks p\n    WHERE p.state = 'ready' AND p.parked IS NOT NULL AND p.queue_name = ANY(:queueNames!::text[])\n      AND p.scheduled_at <= coalesce(:now::timestamptz, now())\n    ORDER BY p.scheduled_at\n    LIMIT :limit!\n    FOR UPDATE SKIP LOCKED\n  ))\n  RETURNING t.queue_name\n)\nSELECT queue_name AS \"queue_name!\", count(*)::integer AS \"woken!\" FROM woken GROUP BY queue_name"};

/**
 * Query generated from SQL:
 * ```
 * -- Sleeping and waiting tasks of these queues whose time has come (a sleep's end, a wait's
 * -- time-out) go back into the claim index: at most :limit, through the parked index, skipping
 * -- rows another pool is waking. Returns the queues that got work, with how many each.
 * WITH woken AS (
 *   UPDATE backie_tasks t SET parked = NULL
 *   WHERE t.id = ANY(ARRAY(
 *     SELECT p.id FROM backie_tasks p
 *     WHERE p.state = 'ready' AND p.parked IS NOT NULL AND p.queue_name = ANY(:queueNames!::text[])
 *       AND p.scheduled_at <= coalesce(:now::timestamptz, now())
 *     ORDER BY p.scheduled_at
 *     LIMIT :limit!
 *     FOR UPDATE SKIP LOCKED
 *   ))
 *   RETURNING t.queue_name
 * )
 * SELECT queue_name AS "queue_name!", count(*)::integer AS "woken!" FROM woken GROUP BY queue_name
 * ```
 */
export const tasksWakeParked = new PreparedQuery<ITasksWakeParkedParams,ITasksWakeParkedResult>(tasksWakeParkedIR);


