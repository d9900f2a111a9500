import { BackieError, ConfigError } from "../errors.js";

/** How every entry point (worker, CLI, default enqueue client) connects, from the same settings. */
export interface ConnectionSettings {
  connectionString: string;
  /** Off behind PgBouncer in transaction mode. Env BACKIE_PREPARED_STATEMENTS=false. */
  preparedStatements: boolean;
  /** Give up connecting after this long. Env BACKIE_CONNECT_TIMEOUT_MS, default 10,000. */
  connectTimeoutMs: number;
}

/** Reads DATABASE_URL (or `url`) and the BACKIE_* connection switches, checking each. */
export function connectionSettings(env: NodeJS.ProcessEnv = process.env, url: string | undefined = env.DATABASE_URL): ConnectionSettings {
  if (url === undefined || url === "") {
    throw new ConfigError("DATABASE_URL is not set: set it to your PostgreSQL URL (postgres://user@host:5432/db)");
  }
  checkDatabaseUrl(url);
  const prepared = env.BACKIE_PREPARED_STATEMENTS;
  if (prepared !== undefined && prepared !== "" && prepared !== "true" && prepared !== "false") {
    throw new ConfigError(`BACKIE_PREPARED_STATEMENTS must be true or false, got "${prepared}"`);
  }
  const timeout = env.BACKIE_CONNECT_TIMEOUT_MS;
  const connectTimeoutMs = timeout === undefined || timeout === "" ? 10_000 : Number(timeout);
  if (!(Number.isInteger(connectTimeoutMs) && connectTimeoutMs > 0 && connectTimeoutMs <= 600_000)) {
    throw new ConfigError(`BACKIE_CONNECT_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000, got "${timeout}"`);
  }
  return { connectionString: url, preparedStatements: prepared !== "false", connectTimeoutMs };
}

/** A URL pg would misread or choke on, as one line (without echoing a password). */
export function checkDatabaseUrl(url: string): void {
  // pg also reads `socket:/path?db=name` (a Unix socket); it has no host or port to check.
  if (/^socket:/i.test(url)) return;
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new ConfigError("the database URL must start with postgres://, postgresql:// or socket:");
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const port = /^[^/]*\/\/[^/]*:(\d+)(\/|$|\?)/.exec(url)?.[1];
    if (port !== undefined && Number(port) > 65535) throw new ConfigError(`the database URL's port must be from 1 to 65535, got ${port}`);
    throw new ConfigError("the database URL is not a valid URL (a special character in the password must be percent-encoded)");
  }
  if (parsed.port !== "" && (Number(parsed.port) < 1 || Number(parsed.port) > 65535)) {
    throw new ConfigError(`the database URL's port must be from 1 to 65535, got ${parsed.port}`);
  }
  const sslmode = parsed.searchParams.get("sslmode");
  const modes = ["disable", "prefer", "require", "verify-ca", "verify-full", "no-verify", "allow"];
  if (sslmode !== null && !modes.includes(sslmode)) {
    throw new ConfigError(`the database URL's sslmode must be one of ${modes.join(", ")}, got "${sslmode}"`);
  }
}

/**
 * What went wrong talking to the database, as one line a user can act on; undefined for errors
 * that are not about the connection or the schema (bugs, constraint violations).
 */
export function describeDatabaseError(error: unknown): string | undefined {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== "object") return undefined;
  const message = typeof e.message === "string" ? e.message : "";
  const code = typeof e.code === "string" ? e.code : "";
  switch (code) {
    case "ECONNREFUSED":
      return `cannot reach the database (${message}): is PostgreSQL running, and is DATABASE_URL right?`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve the database host (${message}): check DATABASE_URL`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ECONNRESET":
    case "EPIPE":
      return `cannot reach the database (${code}: ${message}): check the host in DATABASE_URL and the network`;
    case "ERR_SOCKET_BAD_PORT":
      return `the database URL's port is invalid (${message})`;
    case "3D000":
      return `${message}: create it, or point DATABASE_URL at an existing database`;
    case "28P01":
    case "28000":
      return `the database refused the login (${message}): check the user and password in DATABASE_URL`;
    case "42P01":
    case "42883":
      return `Backie's tables are missing or out of date (${message}): run \`backie migrate\` first`;
    case "42501":
      return `permission denied (${message}): grant the role SELECT, INSERT, UPDATE, DELETE on Backie's tables (see docs/database.md)`;
    case "42P05":
    case "26000":
      return `${message}: behind PgBouncer in transaction mode, set BACKIE_PREPARED_STATEMENTS=false (and BACKIE_LISTEN=false for workers)`;
    case "53300":
      return `the database has no free connection slots (${message}): lower the pool sizes or raise max_connections`;
    case "57P01":
    case "57P03":
      return `the database is shutting down or starting up (${message}): try again shortly`;
  }
  if (/does not support SSL/i.test(message)) return "the server does not support SSL connections: remove sslmode=require from DATABASE_URL, or enable SSL on the server";
  if (/timeout|timed out/i.test(message)) return `cannot reach the database: ${message} (no answer within BACKIE_CONNECT_TIMEOUT_MS; check the host in DATABASE_URL)`;
  if (/self[- ]signed certificate|certificate/i.test(message)) return `the server's TLS certificate was not accepted (${message}): check sslmode and sslrootcert in DATABASE_URL`;
  if (/Connection terminated unexpectedly/i.test(message)) return `the database closed the connection (${message}): check that DATABASE_URL points at PostgreSQL (or PgBouncer) and that it is up`;
  return undefined;
}

/** Rethrows `error` as a one-line BackieError when it is about the connection or the schema. */
export function asBackieError(error: unknown): unknown {
  if (error instanceof BackieError) return error;
  const line = describeDatabaseError(error);
  return line === undefined ? error : new BackieError(line, { cause: error });
}
