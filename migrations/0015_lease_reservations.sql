-- Reservations (a short lease for claimed tasks not yet started; see WorkerPool's reservationMs).
-- A worker claims with a lease of a few seconds and writes the full lease only for runs that go
-- on past it, so the prefetched tasks of a killed worker come back within seconds rather than a
-- whole lease. `lease_confirmed_at` says a run had started: the worker set it when it turned the
-- reservation into a full lease. A lease that expires without it was a reservation: its task may
-- never have run, so the rescue gives its attempt back (a few times at most, or a task that kills
-- its process at once would run forever). Nullable without a default: adding it rewrites nothing;
-- every move back to `ready` clears it, so a new claim always starts unconfirmed.
ALTER TABLE backie_tasks ADD COLUMN lease_confirmed_at timestamptz;
