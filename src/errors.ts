/** Every error a user can cause is one of these, and its message names what is at fault. */
export class BackieError extends Error {
  override name = "BackieError";
}

/** One problem in a payload: where (a JSON path such as `$.to`) and what. */
export interface PayloadViolation {
  path: string;
  message: string;
}

/** Thrown by enqueue before anything is written, listing every violation. */
export class PayloadValidationError extends BackieError {
  override name = "PayloadValidationError";
  constructor(
    readonly taskName: string,
    readonly violations: readonly PayloadViolation[],
  ) {
    super(
      `invalid payload for task "${taskName}": ` +
        violations.map((v) => `${v.path} ${v.message}`).join("; "),
    );
  }
}

/** A `defineTask` option that cannot work, found when the task module loads. */
export class TaskDefinitionError extends BackieError {
  override name = "TaskDefinitionError";
}

/** A worker or enqueue option that cannot work. */
export class ConfigError extends BackieError {
  override name = "ConfigError";
}

/**
 * Turns anything a task may throw (an Error, a string, undefined, a Proxy whose getters throw)
 * into a message and a stack. Never throws itself.
 */
export function describeThrown(thrown: unknown): { message: string; stack?: string } {
  try {
    if (thrown instanceof Error) {
      const raw = thrown.message;
      const message = (typeof raw === "string" && raw) || String(thrown.name || "") || "Error without a message";
      const stack = thrown.stack;
      return typeof stack === "string" ? { message, stack } : { message };
    }
    if (thrown === undefined) return { message: "task threw undefined" };
    if (typeof thrown === "string") return { message: thrown };
    // JSON first; String() for what JSON cannot show (a function, a symbol): still a clue.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    return { message: `task threw ${JSON.stringify(thrown) ?? String(thrown)}` };
  } catch {
    try {
      return { message: `task threw ${String(thrown)}` };
    } catch {
      return { message: "task threw a value that cannot be described" };
    }
  }
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity): the database refused this data, not the connection. */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("22") || code.startsWith("23"));
}
