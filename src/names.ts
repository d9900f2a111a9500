import { textProblem } from "./payload.js";

/**
 * What a task or queue name, a retry count or a duration may be: checked by `defineTask` when a
 * task module loads and by codegen on the source, so that both refuse the same things.
 */

/** Longest wait a Node timer can hold: setTimeout fires at once beyond it (a silent 1 ms). */
export const MAX_TIMER_MS = 2_147_483_647;
/** Longest delay (enqueue's delayMs, backoff): far enough for any schedule, within PostgreSQL's range. */
export const MAX_DELAY_MS = 100 * 365.25 * 24 * 3_600_000;
/** Retries after the first run; the column is a 32-bit integer, and more makes no sense. */
export const MAX_RETRIES = 1_000_000;
const MAX_NAME_LENGTH = 200;
const TASK_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

/** Why `name` cannot name a task, or undefined. */
export function taskNameProblem(name: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  if (!TASK_NAME.test(name)) return "must start with a letter or _ and hold only letters, digits, _ . : - (e.g. send_welcome_email)";
  // Registries and generated clients are keyed by name: these would collide with every object's own.
  if (name in Object.prototype || name === "__proto__") return "is reserved (a property every JavaScript object has): choose another";
  return undefined;
}

/** Why `queue` cannot name a queue, or undefined. */
export function queueNameProblem(queue: string): string | undefined {
  if (queue.trim() === "") return "must not be empty";
  if (queue.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\u0000-\u001f\u007f]/.test(queue)) return "must not contain control characters";
  if (queue in Object.prototype || queue === "__proto__") return "is reserved (a property every JavaScript object has): choose another";
  return textProblem(queue);
}
