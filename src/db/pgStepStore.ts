import type { SignalTarget, StepEntry, StepStore, WaitOutcome } from "../store/stepStore.js";
import type { Lease } from "../store/taskStore.js";
import type { Connection } from "./pgConnection.js";
import * as q from "./queries/steps.queries.js";

/** The PostgreSQL implementation of `StepStore` (`PgTaskStore.steps`); runs sql/steps.sql. */
export class PgStepStore implements StepStore {
  constructor(private readonly db: Connection) {}

  async findSteps(leases: readonly Lease[]): Promise<Map<string, StepEntry[]>> {
    const rows = await q.taskStepsFindMany.run({ ids: leases.map((l) => l.id), tokens: leases.map((l) => l.token) }, this.db);
    // A history edited by hand may hold anything: the runner checks each entry it replays.
    return new Map(rows.map((r) => [r.id, Array.isArray(r.steps) ? (r.steps as unknown as StepEntry[]) : []]));
  }

  async appendSteps(items: ReadonlyArray<Lease & { position: number; entry: StepEntry }>): Promise<Set<string>> {
    const json = JSON.stringify(items.map((i) => ({ id: i.id, token: i.token, position: i.position, step: i.entry })));
    return new Set((await q.taskStepsAppendMany.run({ items: json }, this.db)).map((r) => r.id));
  }

  async resolveWait(lease: Lease, position: number, signal: string, timedOut: boolean): Promise<WaitOutcome<unknown> | null> {
    const [row] = await q.taskWaitResolve.run({ id: lease.id, token: lease.token, position, signal, timedOut }, this.db);
    return row === undefined ? null : (row.result as unknown as WaitOutcome<unknown>);
  }

  async sendSignal(target: SignalTarget, name: string, payloadJson: string, maxInbox: number): Promise<string | null> {
    const [row] = await q.taskSignalSend.run({
      taskName: target.taskName, id: "id" in target ? target.id : null, uniqueKey: "key" in target ? target.key : null,
      name, payload: payloadJson, maxInbox,
    }, this.db);
    return row?.id ?? null;
  }
}
