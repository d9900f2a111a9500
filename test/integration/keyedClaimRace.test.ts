import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { testDatabase } from "../support/db.js";

// The keyed claim's exactness, hammered at the statement level: six sessions claim and finish
// tasks of three keys at once, and a test-only exclusion constraint turns any moment at which
// two claimers hold running tasks of one key into an error (one claimer may hold a chain). The
// window it guards is between the walk's snapshot and the key's lock: a claim of that key
// committed in between must be seen by the claim after the locks. A seventh session keeps
// inserting tasks of a higher priority than any before, so that two claims of one key can see
// different heads (with a single head, the row's own state check would do).
const db = await testDatabase("keyedClaimRace");
const SESSIONS = 6;
const clients: pg.Client[] = [];

beforeAll(async () => {
  await db.sql.query("CREATE EXTENSION IF NOT EXISTS btree_gist");
  await db.sql.query(`ALTER TABLE backie_tasks ADD CONSTRAINT race_one_claimer_per_key
    EXCLUDE USING gist (task_name WITH =, concurrency_key WITH =, lease_owner WITH <>) WHERE (state = 'running')`);
  for (let i = 0; i <= SESSIONS; i++) {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    clients.push(client);
  }
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
});

interface Claimed {
  id: string;
  task_name: string;
  concurrency_key: string;
}

async function race(chain: number): Promise<{ claimed: number; inserted: number; chained: number }> {
  await db.sql.query(`
    INSERT INTO backie_tasks (task_name, queue_name, payload, concurrency_key)
    SELECT n.name, 'race', '{}', 'k' || (i % 3) FROM generate_series(1, 1500) i, unnest(ARRAY['race_any', 'race_fifo']) n(name)`);
  const inserter = clients[SESSIONS]!;
  let inserted = 3000;
  let inserting = true;
  const insertions = (async () => {
    for (let priority = 1; inserting; priority++) {
      await inserter.query(`
        INSERT INTO backie_tasks (task_name, queue_name, payload, concurrency_key, priority)
        SELECT n.name, 'race', '{}', 'k' || ($1::int % 3), $1 FROM unnest(ARRAY['race_any', 'race_fifo']) n(name)`, [priority]);
      inserted += 2;
    }
  })();
  let claimed = 0;
  let chained = 0;
  await Promise.all(clients.slice(0, SESSIONS).map(async (client, lane) => {
    let cursor: string | null = null;
    let empty = 0;
    while (empty < 20) {
      if (claimed >= 2500) inserting = false;
      const result: pg.QueryResult<Claimed> = await client.query<Claimed>(
        `SELECT id, task_name, concurrency_key FROM backie_claim_keyed('race', '{race_any,race_fifo}', '{1,1}', '{f,t}', '{0,0}', $1, 8, $2, 30000, NULL, $3)`,
        [cursor, `lane${lane}`, chain]);
      const rows = result.rows;
      if (rows.length === 0) {
        empty++;
        continue;
      }
      empty = 0;
      claimed += rows.length;
      chained += rows.length - new Set(rows.map((r) => `${r.task_name}/${r.concurrency_key}`)).size;
      cursor = rows.at(-1)!.concurrency_key;
      await client.query("DELETE FROM backie_tasks WHERE id = ANY($1::bigint[])", [rows.map((r) => r.id)]);
    }
  }));
  inserting = false;
  await insertions;
  return { claimed, inserted, chained };
}

it("no two claimers hold one key at limit 1 while six sessions claim and finish as fast as they can (heads only, and fifo)", async () => {
  const { claimed, inserted, chained } = await race(1);
  expect(claimed).toBe(inserted);
  expect(chained).toBe(0);
  const { rows: [left] } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM backie_tasks");
  expect(left!.n).toBe(0);
}, 60_000);

it("the same with chains of up to 4 tasks of a key per claim", async () => {
  const { claimed, inserted, chained } = await race(4);
  expect(claimed).toBe(inserted);
  // Keys came in chains (fifo ones never do): the claims above took more than one of a key.
  expect(chained).toBeGreaterThan(0);
  const { rows: [left] } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM backie_tasks");
  expect(left!.n).toBe(0);
}, 60_000);
