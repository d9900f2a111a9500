import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { testDatabase } from "../support/db.js";

// The keyed claim's exactness, hammered at the statement level: many sessions claim and finish
// tasks of three keys at once, and a unique index (test-only) turns any moment at which a key
// runs twice into an error. The window it guards is between the walk's snapshot and the key's
// lock: a claim of that key committed in between must be seen by the statement that claims. One
// more session keeps inserting tasks of a higher priority than any before, so that two claims
// of one key can see different heads (with a single head, the row's own state check would do).
const db = await testDatabase("keyedClaimRace");
const SESSIONS = 6;
const clients: pg.Client[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
});

it("no key runs twice at limit 1 while six sessions claim and finish as fast as they can (fast path and fifo)", async () => {
  await db.sql.query(`CREATE UNIQUE INDEX race_one_running_per_key ON backie_tasks (task_name, concurrency_key) WHERE state = 'running'`);
  await db.sql.query(`
    INSERT INTO backie_tasks (task_name, queue_name, payload, concurrency_key)
    SELECT n.name, 'race', '{}', 'k' || (i % 3) FROM generate_series(1, 1500) i, unnest(ARRAY['race_any', 'race_fifo']) n(name)`);
  for (let i = 0; i < SESSIONS; i++) {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    clients.push(client);
  }
  const inserter = new pg.Client({ connectionString: db.url });
  await inserter.connect();
  clients.push(inserter);
  let inserted = 3000;
  let inserting = true;
  const insertions = (async () => {
    for (let priority = 1; inserting; priority++) {
      await inserter.query(`
        INSERT INTO backie_tasks (task_name, queue_name, payload, concurrency_key, priority)
        SELECT n.name, 'race', '{}', 'k' || (${priority} % 3), $1 FROM unnest(ARRAY['race_any', 'race_fifo']) n(name)`, [priority]);
      inserted += 2;
    }
  })();
  let claimed = 0;
  await Promise.all(clients.slice(0, SESSIONS).map(async (client, lane) => {
    let cursor: string | null = null;
    let empty = 0;
    while (empty < 20) {
      if (claimed >= 2500) inserting = false;
      const { rows } = await client.query<{ id: string; concurrency_key: string }>(
        `SELECT id, concurrency_key FROM backie_claim_keyed('race', '{race_any,race_fifo}', '{1,1}', '{f,t}', '{0,0}', $1, 4, $2, 30000, NULL)`,
        [cursor, `lane${lane}`]);
      if (rows.length === 0) {
        empty++;
        continue;
      }
      empty = 0;
      claimed += rows.length;
      cursor = rows.at(-1)!.concurrency_key;
      await client.query(`DELETE FROM backie_tasks WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
    }
  }));
  await insertions;
  expect(claimed).toBe(inserted);
  const { rows: [left] } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM backie_tasks`);
  expect(left!.n).toBe(0);
}, 60_000);
