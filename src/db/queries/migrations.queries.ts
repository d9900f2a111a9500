/** Types generated for queries found in "sql/migrations.sql" */
import { PreparedQuery } from '@pgtyped/runtime';

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


/** 'MigrationsGetApplied' parameters type */
export type IMigrationsGetAppliedParams = void;

/** 'MigrationsGetApplied' return type */
export interface IMigrationsGetAppliedResult {
  name: string;
}

/** 'MigrationsGetApplied' query type */
export interface IMigrationsGetAppliedQuery {
  params: IMigrationsGetAppliedParams;
  result: IMigrationsGetAppliedResult;
}

const migrationsGetAppliedIR: any = {"usedParamSet":{},"params":[],"statement":"SELECT name FROM backie_migrations ORDER BY name"};

/**
 * Query generated from SQL:
 * ```
 * SELECT name FROM backie_migrations ORDER BY name
 * ```
 */
export const migrationsGetApplied = new PreparedQuery<IMigrationsGetAppliedParams,IMigrationsGetAppliedResult>(migrationsGetAppliedIR);


/** 'MigrationRecord' parameters type */
export interface IMigrationRecordParams {
  name: string;
}

/** 'MigrationRecord' return type */
export type IMigrationRecordResult = void;

/** 'MigrationRecord' query type */
export interface IMigrationRecordQuery {
  params: IMigrationRecordParams;
  result: IMigrationRecordResult;
}

const migrationRecordIR: any = {"usedParamSet":{"name":true},"params":[{"name":"name","required":true,"transform":{"type":"scalar"},"locs":[{"a":45,"b":50}]}],"statement":"INSERT INTO backie_migrations (name) VALUES (:name!)"};

/**
 * Query generated from SQL:
 * ```
 * INSERT INTO backie_migrations (name) VALUES (:name!)
 * ```
 */
export const migrationRecord = new PreparedQuery<IMigrationRecordParams,IMigrationRecordResult>(migrationRecordIR);


