import type { ClaimedTask, Lease, TaskStore } from "../store/taskStore.js";
import type { EventHandler } from "./events.js";
import { periodic, type Service } from "./maintenance.js";

/** A lease this pool holds, with its own bound of the expiry (see `ClaimedTask.leaseUntil`). */
export type HeldLease = Lease & Pick<ClaimedTask, "leaseUntil">;

export interface LeaseKeeperOptions {
  store: TaskStore;
  /** The lease of a started run. */
  leaseMs: number;
  /** The lease of a claimed task not yet started (at most `leaseMs`). */
  reservationMs: number;
  /** How often every held lease is renewed, due or not: finds cancelled and taken-over ones. */
  heartbeatIntervalMs: number;
  /** Prefetched tasks: kept on reservations. */
  reserved: () => HeldLease[];
  /** Runs under way and results not yet written: given full, confirmed leases. */
  started: () => HeldLease[];
  onLost: (leases: Lease[]) => void;
  emit: EventHandler;
}

/**
 * Keeps the leases this pool holds alive. Claims take a reservation (`reservationMs`), so that a
 * dead worker's prefetched tasks come back within seconds; each tick (a quarter of it) renews the
 * reservations of tasks still waiting in a buffer and turns those of runs into full leases
 * (confirmed: see migration 0015), but only once they come within three quarters of a
 * reservation of their end. A task that starts and finishes between two ticks, the common case
 * under load, costs no write here at all. Every `heartbeatIntervalMs` all of them are renewed
 * (the classic heartbeat): leases the store no longer recognises (rescued elsewhere, cancelled)
 * go to `onLost`.
 */
export function leaseKeeper(o: LeaseKeeperOptions): Service {
  const tickMs = Math.max(10, Math.min(o.heartbeatIntervalMs, Math.floor(o.reservationMs / 4)));
  let lastFull = -Infinity;
  let lastTick: number | undefined;
  return periodic(tickMs, async () => {
    const now = performance.now();
    // A tick this late means the event loop was blocked (a CPU-bound task, a long GC): renewals
    // could not be sent, and reservations may have run out under tasks about to start.
    if (lastTick !== undefined && now - lastTick > tickMs + o.reservationMs / 2) {
      o.emit({ type: "pool:stalled", delayMs: Math.round(now - lastTick - tickMs), reservationMs: o.reservationMs });
    }
    lastTick = now;
    const full = now - lastFull >= o.heartbeatIntervalMs;
    if (full) lastFull = now;
    const horizon = now + (o.reservationMs * 3) / 4;
    // A lease without a bound of its own (not claimed by a runner) is renewed by full ticks only.
    const due = (l: HeldLease): boolean => full || (l.leaseUntil !== undefined && l.leaseUntil < horizon);
    const reserved = o.reserved().filter(due);
    const started = o.started().filter(due);
    if (reserved.length + started.length === 0) return;
    try {
      const sentAt = performance.now();
      const lost = [
        ...(await renew(o.store, reserved, o.reservationMs, false, sentAt)),
        ...(await renew(o.store, started, o.leaseMs, true, sentAt)),
      ];
      if (lost.length > 0) o.onLost(lost);
    } catch (error) {
      // Bounds stay as they were: a runner does not start a task whose reservation may be over.
      o.emit({ type: "store:error", operation: "extend leases", error, retryInMs: tickMs });
    }
  });
}

/** Extends `leases` by `leaseMs` and moves their bounds; returns those no longer held. */
async function renew(store: TaskStore, leases: HeldLease[], leaseMs: number, confirm: boolean, sentAt: number): Promise<Lease[]> {
  if (leases.length === 0) return [];
  const lost = await store.extendLeases(leases, leaseMs, { confirm });
  const gone: Lease[] = [];
  for (const lease of leases) {
    if (lost.has(lease.id)) gone.push(lease);
    // The database's expiry is its clock at the write plus leaseMs: no earlier than this.
    else lease.leaseUntil = sentAt + leaseMs;
  }
  return gone;
}
