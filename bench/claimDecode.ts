/**
 * What decoding a claim's rows costs the worker, and what other shapes of the same rows would
 * cost the client and the server: `npx tsx bench/claimDecode.ts [rounds]` (DATABASE_URL, default
 * the local server). One client reads the same 1,000 rows per statement, shaped as the claim
 * statements return them (sql/tasks.sql, TasksClaimMany's RETURNING) from a temporary table of
 * the same column types; each shape in turn, `rounds` times (default 15). Client CPU is this
 * process's (`process.cpuUsage`, pg's protocol parsing and the row's decoding included), server
 * CPU its backend's (`/proc/<pid>/stat`, 10 ms ticks, hence many statements per round). Prints
 * the median µs per row of each. Linux only (the backend's /proc).
 */
import { readFileSync } from "node:fs";
import pg from "pg";

type Row = Array<string | null> | unknown[];
interface Shape {
  select: string;
  /** Each column as its text (no type parser), for shapes that parse it themselves. */
  texts: boolean;
  decode: (rows: Row[]) => unknown[];
}

const ROWS = 1_000;
const STATEMENTS = 100;
const rounds = Number(process.argv[2] ?? 15);
const ms = (column: string): string => `date_part('epoch', t.${column}) * 1000`;
const num = (text: unknown): number | null => (text == null ? null : Number(text));

// The claim's columns, in its order (see sql/tasks.sql).
const CLAIM = `t.id, t.task_name, t.payload, t.priority, t.attempts, t.max_retries, t.lease_token, ${ms("created_at")} AS created_at_ms,
  ${ms("scheduled_at")} AS scheduled_at_ms, t.schedule_id, ${ms("schedule_for")} AS schedule_for_ms, t.schedule_missed, t.trace_context,
  t.fan_in_id, t.payload_version, ${ms("started_at")} AS started_at_ms`;
const task = (r: Row, n: (i: number) => unknown, json: (i: number) => unknown): object => ({
  id: r[0], taskName: r[1], payload: json(2), priority: n(3), attempt: n(4), maxRetries: n(5), token: n(6), createdAtMs: n(7),
  scheduledAtMs: n(8), scheduleId: r[9], scheduleForMs: n(10), scheduleMissed: n(11), traceContext: json(12), fanInId: r[13],
  payloadVersion: n(14), startedAtMs: n(15),
});

const SHAPES: Record<string, Shape> = {
  "claim: 16 columns, pg's type parsers (as the worker reads it)": {
    select: CLAIM, texts: false, decode: (rows) => rows.map((r) => task(r, (i) => r[i], (i) => r[i])),
  },
  "claim: 16 columns as texts, each parsed at its own call site": {
    select: CLAIM, texts: true,
    decode: (rows) => rows.map((r) => task(r, (i) => num(r[i]), (i) => (r[i] == null ? null : JSON.parse(r[i] as string)))),
  },
  "claim: the 8 numbers packed into one text column": {
    select: `t.id, t.task_name, t.payload, concat_ws(' ', t.priority, t.attempts, t.max_retries, t.lease_token, t.payload_version,
      ${ms("created_at")}, ${ms("scheduled_at")}, ${ms("started_at")}) AS numbers, t.schedule_id, ${ms("schedule_for")} AS schedule_for_ms,
      t.schedule_missed, t.trace_context, t.fan_in_id`,
    texts: true,
    decode: (rows) => rows.map((r) => {
      const n = (r[3] as string).split(" ");
      return { id: r[0], taskName: r[1], payload: JSON.parse(r[2] as string), priority: +n[0]!, attempt: +n[1]!, maxRetries: +n[2]!, token: +n[3]!,
        payloadVersion: +n[4]!, createdAtMs: +n[5]!, scheduledAtMs: +n[6]!, startedAtMs: +n[7]!, scheduleId: r[4], scheduleForMs: num(r[5]),
        scheduleMissed: num(r[6]), traceContext: r[7] == null ? null : JSON.parse(r[7] as string), fanInId: r[8] };
    }),
  },
  "claim: one JSON document for all rows": {
    select: `json_agg(json_build_array(${CLAIM.replace(/ AS \w+/g, "")}))::text AS claim`, texts: true,
    decode: (rows) => (JSON.parse(rows[0]![0] as string) as unknown[][]).map((r) => task(r, (i) => r[i], (i) => r[i])),
  },
  "the raw loop's claim: id and payload": {
    select: "t.id, t.payload", texts: false, decode: (rows) => rows.map((r) => ({ id: r[0], payload: r[1] })),
  },
};

const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" });
await client.connect();
const backend = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
/** The backend's user + system CPU in µs (its stat fields 14 and 15, in 10 ms ticks). */
const serverCpuUs = (): number => {
  const fields = readFileSync(`/proc/${backend}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
};
await client.query(`CREATE TEMP TABLE claim_rows AS
  SELECT g::bigint AS id, 'noop_task'::text AS task_name, jsonb_build_object('i', g) AS payload, 0::smallint AS priority, 1 AS attempts,
         25 AS max_retries, 7 AS lease_token, now() - g * interval '1 ms' AS created_at, now() - g * interval '1 ms' AS scheduled_at,
         NULL::bigint AS schedule_id, NULL::timestamptz AS schedule_for, NULL::integer AS schedule_missed, NULL::jsonb AS trace_context,
         NULL::bigint AS fan_in_id, 0 AS payload_version, now() AS started_at
  FROM generate_series(1, ${ROWS}) AS g`);

const asText = (value: string): string => value;
const TEXTS = { getTypeParser: () => asText };
const results = new Map<string, Array<[number, number]>>();
for (let round = 0; round < rounds; round++) {
  for (const [name, shape] of Object.entries(SHAPES)) {
    const text = `SELECT ${shape.select} FROM claim_rows t`;
    const config = { name: `claim_decode_${Object.keys(SHAPES).indexOf(name)}`, text, rowMode: "array" as const, ...(shape.texts ? { types: TEXTS } : {}) };
    const client0 = process.cpuUsage();
    const server0 = serverCpuUs();
    let decoded = 0;
    for (let i = 0; i < STATEMENTS; i++) decoded += shape.decode((await client.query<Row>(config)).rows).length;
    if (decoded !== STATEMENTS * ROWS) throw new Error(`${name}: decoded ${decoded} rows, expected ${STATEMENTS * ROWS}`);
    const used = process.cpuUsage(client0);
    const perRow = (us: number): number => us / (STATEMENTS * ROWS);
    results.set(name, [...(results.get(name) ?? []), [perRow(used.user + used.system), perRow(serverCpuUs() - server0)]]);
  }
}
await client.end();

const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`claim decoding: ${ROWS} rows per statement, ${STATEMENTS} statements per round, median of ${rounds} rounds (µs per row)`);
for (const [name, samples] of results) {
  console.log(`${name.padEnd(64)} client ${median(samples.map((s) => s[0])).toFixed(2)}  server ${median(samples.map((s) => s[1])).toFixed(2)}`);
}
