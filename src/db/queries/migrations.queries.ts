/** Types generated for queries found in "sql/migrations.sql" */
import { PreparedQuery } from '../preparedQuery.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type NumberOrString = number | string;

/** 'MigrationsLockTake' parameters type */
export interface IMigrationsLockTakeParams {
  lockKey: NumberOrString;
}

/** 'MigrationsLockTake' return type */
export interface IMigrationsLockTakeResult {
  locked: undefined | null;
}

/** 'MigrationsLockTake' query type */
export interface IMigrationsLockTakeQuery {
  params: IMigrationsLockTakeParams;
  result: IMigrationsLockTakeResult;
}

const migrationsLockTakeIR: any = {"usedParamSet":{"lockKey":true},"params":[{"name":"lockKey","required":true,"transform":{"type":"scalar"},"locs":[{"a":207,"b":215}]}],"statement":"-- Migration bookkeeping. The runner holds a transaction-scoped advisory lock while it applies\n-- pending files, so two processes migrating at once apply each file exactly once.\nSELECT pg_advisory_xact_lock(:lockKey!::bigint) AS \"locked\""};

/**
 * Query generated from SQL:
 * ```
 * -- Migration bookkeeping. The runner holds a transaction-scoped advisory lock while it applies
 * -- pending files, so two processes migrating at once apply each file exactly once.
 * SELECT pg_advisory_xact_lock(:lockKey!::bigint) AS "locked"
 * ```
 */
export const migrationsLockTake = new PreparedQuery<IMigrationsLockTakeParams,IMigrationsLockTakeResult>(migrationsLockTakeIR);


/** 'MigrationsLockTimeoutSet' parameters type */
export interface IMigrationsLockTimeoutSetParams {
  timeout: string;
}

/** 'MigrationsLockTimeoutSet' return type */
export interface IMigrationsLockTimeoutSetResult {
  lock_timeout: string;
}

/** 'MigrationsLockTimeoutSet' query type */
export interface IMigrationsLockTimeoutSetQuery {
  params: IMigrationsLockTimeoutSetParams;
  result: IMigrationsLockTimeoutSetResult;
}

const migrationsLockTimeoutSetIR: any = {"usedParamSet":{"timeout":true},"params":[{"name":"timeout","required":true,"transform":{"type":"scalar"},"locs":[{"a":219,"b":227}]}],"statement":"-- A migration that waits for a lock (workers hold row locks on backie_tasks; DDL needs the whole\n-- table) gives up after this long instead of queueing every worker's query behind it.\nSELECT set_config('lock_timeout', :timeout!, true) AS \"lock_timeout!\""};

/**
 * Query generated from SQL:
 * ```
 * -- A migration that waits for a lock (workers hold row locks on backie_tasks; DDL needs the whole
 * -- table) gives up after this long instead of queueing every worker's query behind it.
 * SELECT set_config('lock_timeout', :timeout!, true) AS "lock_timeout!"
 * ```
 */
export const migrationsLockTimeoutSet = new PreparedQuery<IMigrationsLockTimeoutSetParams,IMigrationsLockTimeoutSetResult>(migrationsLockTimeoutSetIR);


/** 'MigrationsTableEnsure' parameters type */
export type IMigrationsTableEnsureParams = void;

/** 'MigrationsTableEnsure' return type */
export type IMigrationsTableEnsureResult = void;

/** 'MigrationsTableEnsure' query type */
export interface IMigrationsTableEnsureQuery {
  params: IMigrationsTableEnsureParams;
  result: IMigrationsTableEnsureResult;
}

const migrationsTableEnsureIR: any = {"usedParamSet":{},"params":[],"statement":"CREATE TABLE IF NOT EXISTS backie_migrations (\n  name       text PRIMARY KEY,\n  applied_at timestamptz NOT NULL DEFAULT now()\n)"};

/**
 * Query generated from SQL:
 * ```
 * CREATE TABLE IF NOT EXISTS backie_migrations (
 *   name       text PRIMARY KEY,
 *   applied_at timestamptz NOT NULL DEFAULT now()
 * )
 * ```
 */
export const migrationsTableEnsure = new PreparedQuery<IMigrationsTableEnsureParams,IMigrationsTableEnsureResult>(migrationsTableEnsureIR);


/** 'MigrationsChecksumEnsure' parameters type */
export type IMigrationsChecksumEnsureParams = void;

/** 'MigrationsChecksumEnsure' return type */
export type IMigrationsChecksumEnsureResult = void;

/** 'MigrationsChecksumEnsure' query type */
export interface IMigrationsChecksumEnsureQuery {
  params: IMigrationsChecksumEnsureParams;
  result: IMigrationsChecksumEnsureResult;
}

const migrationsChecksumEnsureIR: any = {"usedParamSet":{},"params":[],"statement":"-- SHA-256 of each applied file: a file changed after it was applied is an error, not silence.\nALTER TABLE backie_migrations ADD COLUMN IF NOT EXISTS checksum text"};

/**
 * Query generated from SQL:
 * ```
 * -- SHA-256 of each applied file: a file changed after it was applied is an error, not silence.
 * ALTER TABLE backie_migrations ADD COLUMN IF NOT EXISTS checksum text
 * ```
 */
export const migrationsChecksumEnsure = new PreparedQuery<IMigrationsChecksumEnsureParams,IMigrationsChecksumEnsureResult>(migrationsChecksumEnsureIR);


/** 'MigrationsGetApplied' parameters type */
export type IMigrationsGetAppliedParams = void;

/** 'MigrationsGetApplied' return type */
export interface IMigrationsGetAppliedResult {
  row: Json;
}

/** 'MigrationsGetApplied' query type */
export interface IMigrationsGetAppliedQuery {
  params: IMigrationsGetAppliedParams;
  result: IMigrationsGetAppliedResult;
}

const migrationsGetAppliedIR: any = {"usedParamSet":{},"params":[],"statement":"-- As JSON rows, so that this reads databases migrated before the checksum column existed (and\n-- needs only SELECT: workers run it to say whether migrations are pending).\nSELECT to_jsonb(m) AS \"row!\" FROM backie_migrations m ORDER BY m.name"};

/**
 * Query generated from SQL:
 * ```
 * -- As JSON rows, so that this reads databases migrated before the checksum column existed (and
 * -- needs only SELECT: workers run it to say whether migrations are pending).
 * SELECT to_jsonb(m) AS "row!" FROM backie_migrations m ORDER BY m.name
 * ```
 */
export const migrationsGetApplied = new PreparedQuery<IMigrationsGetAppliedParams,IMigrationsGetAppliedResult>(migrationsGetAppliedIR);


/** 'MigrationChecksumSet' parameters type */
export interface IMigrationChecksumSetParams {
  checksum: string;
  name: string;
}

/** 'MigrationChecksumSet' return type */
export type IMigrationChecksumSetResult = void;

/** 'MigrationChecksumSet' query type */
export interface IMigrationChecksumSetQuery {
  params: IMigrationChecksumSetParams;
  result: IMigrationChecksumSetResult;
}

const migrationChecksumSetIR: any = {"usedParamSet":{"checksum":true,"name":true},"params":[{"name":"checksum","required":true,"transform":{"type":"scalar"},"locs":[{"a":119,"b":128}]},{"name":"name","required":true,"transform":{"type":"scalar"},"locs":[{"a":143,"b":148}]}],"statement":"-- Files applied before checksums were kept are trusted once, as they are now.\nUPDATE backie_migrations SET checksum = :checksum! WHERE name = :name! AND checksum IS NULL"};

/**
 * Query generated from SQL:
 * ```
 * -- Files applied before checksums were kept are trusted once, as they are now.
 * UPDATE backie_migrations SET checksum = :checksum! WHERE name = :name! AND checksum IS NULL
 * ```
 */
export const migrationChecksumSet = new PreparedQuery<IMigrationChecksumSetParams,IMigrationChecksumSetResult>(migrationChecksumSetIR);


/** 'MigrationRecord' parameters type */
export interface IMigrationRecordParams {
  checksum: string;
  name: string;
}

/** 'MigrationRecord' return type */
export type IMigrationRecordResult = void;

/** 'MigrationRecord' query type */
export interface IMigrationRecordQuery {
  params: IMigrationRecordParams;
  result: IMigrationRecordResult;
}

const migrationRecordIR: any = {"usedParamSet":{"name":true,"checksum":true},"params":[{"name":"name","required":true,"transform":{"type":"scalar"},"locs":[{"a":55,"b":60}]},{"name":"checksum","required":true,"transform":{"type":"scalar"},"locs":[{"a":63,"b":72}]}],"statement":"INSERT INTO backie_migrations (name, checksum) VALUES (:name!, :checksum!)"};

/**
 * Query generated from SQL:
 * ```
 * INSERT INTO backie_migrations (name, checksum) VALUES (:name!, :checksum!)
 * ```
 */
export const migrationRecord = new PreparedQuery<IMigrationRecordParams,IMigrationRecordResult>(migrationRecordIR);


