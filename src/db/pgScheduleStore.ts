import type pg from "pg";
import type { MissedPolicy, OverlapPolicy } from "../schedule/scheduleOptions.js";
import type { DueSchedule, TickDecision } from "../schedule/tickPolicy.js";
import type {
  DeclaredSchedule, DueSchedules, FiredSchedule, ScheduleChange, ScheduleStore, StoredSchedule,
} from "../store/scheduleStore.js";
import { adapt, type Connection } from "./pgConnection.js";
import * as q from "./queries/schedules.queries.js";

const RECONCILE_LOCK_KEY = "7249104425126612";

/** The PostgreSQL implementation of `ScheduleStore` (`PgTaskStore.schedules`); runs sql/schedules.sql. */
export class PgScheduleStore implements ScheduleStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly db: Connection,
  ) {}

  async readClock(now?: Date): Promise<Date> {
    const [row] = await q.scheduleClockRead.run({ now: now ?? null }, this.db);
    return row!.now;
  }

  async reconcileSchedules(taskNames: readonly string[], schedules: readonly DeclaredSchedule[], now?: Date, generation = 0): Promise<ScheduleChange[]> {
    const rows = schedules.map((s) => ({
      id: s.id, task_name: s.taskName, queue_name: s.queueName, cron: s.cron, time_zone: s.tz,
      // Parsed back so that json_to_recordset sees the payload as JSON, not as a string of it.
      payload: JSON.parse(s.payloadJson) as unknown, max_retries: s.maxRetries, missed: s.missed,
      max_missed: s.maxMissed, overlap: s.overlap, next_at: s.nextAt?.toISOString() ?? null,
      concurrency_key: s.concurrencyKey ?? null, payload_version: s.payloadVersion ?? 0, priority: s.priority ?? 0,
      unique_key: s.uniqueKey ?? null,
    }));
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const db = adapt(client);
      await q.scheduleReconcileLockTake.run({ lockKey: RECONCILE_LOCK_KEY }, db);
      const changes = await q.schedulesReconcile.run(
        { taskNames: [...taskNames], schedules: JSON.stringify(rows), now: now ?? null, generation }, db,
      );
      await client.query("COMMIT");
      return changes.map((c) => ({ id: c.id, change: c.change as ScheduleChange["change"] }));
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async findDueSchedules(taskNames: readonly string[], limit: number, now?: Date): Promise<DueSchedules> {
    const rows = await q.schedulesFindDue.run({ taskNames: [...taskNames], limit, now: now ?? null }, this.db);
    const first = rows[0]!;
    const due: DueSchedule[] = [];
    for (const r of rows) {
      // The left join's empty row when nothing is due.
      if (r.id === null || r.next_at === null || r.next_at_text === null) continue;
      due.push({
        id: r.id, taskName: r.task_name, cron: r.cron, tz: r.time_zone, missed: r.missed as MissedPolicy,
        maxMissed: r.max_missed, overlap: r.overlap as OverlapPolicy, uniqueKey: r.unique_key, nextAt: r.next_at, dueToken: r.next_at_text,
      });
    }
    return { now: first.now, upcoming: first.upcoming, due };
  }

  async fireSchedules(decisions: readonly TickDecision[]): Promise<FiredSchedule[]> {
    if (decisions.length === 0) return [];
    const schedules = decisions.map((d) => ({
      id: d.schedule.id, due_at: d.schedule.dueToken, next_at: d.nextAt?.toISOString() ?? null, last_at: d.lastAt?.toISOString() ?? null,
    }));
    const runs = decisions.flatMap((d) => d.runs.map((r) => ({
      schedule_id: d.schedule.id, scheduled_for: r.scheduledFor.toISOString(), missed_count: r.missedCount, unique_key: r.uniqueKey,
    })));
    const rows = await q.schedulesFireMany.run({ schedules: JSON.stringify(schedules), runs: JSON.stringify(runs) }, this.db);
    const moved = new Set<string>();
    const taskIds = new Map<string, string | null>();
    for (const r of rows) {
      moved.add(r.schedule_id);
      if (r.scheduled_for !== null) taskIds.set(`${r.schedule_id}\u0000${r.scheduled_for.getTime()}`, r.task_id ?? null);
    }
    return decisions.map((d) => ({
      id: d.schedule.id,
      moved: moved.has(d.schedule.id),
      runs: moved.has(d.schedule.id)
        ? d.runs.map((r) => ({ scheduledFor: r.scheduledFor, taskId: taskIds.get(`${d.schedule.id}\u0000${r.scheduledFor.getTime()}`) ?? null }))
        : [],
    }));
  }

  async listSchedules(now?: Date): Promise<{ now: Date; schedules: StoredSchedule[] }> {
    const rows = await q.schedulesFindAll.run({ now: now ?? null }, this.db);
    const clock = rows[0]?.now ?? (await this.readClock(now));
    return {
      now: clock,
      schedules: rows.map((r) => ({
        id: r.id, taskName: r.task_name, queueName: r.queue_name, cron: r.cron, tz: r.time_zone, missed: r.missed,
        maxMissed: r.max_missed, overlap: r.overlap, nextAt: r.next_at, lastAt: r.last_at, createdAt: r.created_at, updatedAt: r.updated_at,
      })),
    };
  }

  async deleteSchedules(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await q.schedulesDeleteMany.run({ ids: [...ids] }, this.db);
    return rows.map((r) => r.id);
  }
}
