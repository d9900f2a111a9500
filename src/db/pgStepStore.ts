import type { SignalTarget, StepEntry, StepStore, WaitOutcome } from "../store/stepStore.js";
import type { Lease } from "../store/taskStore.js";
import type { Connection } from "./pgConnection.js";
import * as q from "./queries/steps.queries.js";

/** The PostgreSQL implementation of `StepStore` (`PgTaskStore.steps`); runs sql/steps.sql. */
export class PgStepStore implements StepStore {
  constructor(private readonly db: Connection) {}

  async findSteps(lease: Lease): Promise<StepEntry[] | null> {
    const [row] = await q.taskStepsFind.run({ id: lease.id, token: lease.token }, this.db);
    if (row === undefined) return null;
    // A history edited by hand may hold anything: the runner checks each entry it replays.
    return Array.isArray(row.steps) ? (row.steps as unknown as StepEntry[]) : [];
  }

  async appendStep(lease: Lease, position: number, entry: StepEntry): Promise<boolean> {
    const rows = await q.taskStepAppend.run({ id: lease.id, token: lease.token, position, step: JSON.stringify(entry) }, this.db);
    return rows.length === 1;
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
