/**
 * The parameters and results of the batches fenced by lease (TasksDeleteIfRunningMany,
 * TasksExtendLeaseMany): ids as an array literal, tokens as a JSON object by id, and the ids a
 * batch did not touch.
 */
import { BackieError } from "../errors.js";
import type { Lease } from "../store/taskStore.js";

/**
 * Task ids as a PostgreSQL array literal, for the batches fenced by lease: pg's array serializer
 * quotes and escapes every element and builds the text piece by piece (with the tokens, 0.4 KB of
 * garbage a task). Ids are the database's bigint text; anything else is refused here, naming it,
 * rather than read as more than one element.
 */
export function idArray(items: ReadonlyArray<{ id: string }>): string[] {
  const ids = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) ids[i] = checkedId(items[i]!.id);
  // pg sends a string parameter as it is: PostgreSQL reads the literal as the statement's
  // bigint[] once, when the statement is bound.
  return `{${ids.join(",")}}` as unknown as string[];
}

export function checkedId(id: string): string {
  if (!BIGINT_TEXT.test(id)) throw new BackieError(`not a task id: ${JSON.stringify(id).slice(0, 40)} (task ids are whole numbers)`);
  return id;
}
const BIGINT_TEXT = /^-?\d{1,19}$/;

/**
 * Each lease's token by its id, as JSON text (PostgreSQL reads it as the statement's jsonb once, at
 * bind): the fenced batches look a row's token up in it
 * (see TasksDeleteIfRunningMany).
 */
export function tokensById(items: ReadonlyArray<Lease>): string {
  const entries = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    const { id, token } = items[i]!;
    if (!Number.isSafeInteger(token)) throw new BackieError(`not a lease token: ${String(token).slice(0, 40)} (tokens are whole numbers)`);
    entries[i] = `"${checkedId(id)}":${token}`;
  }
  return `{${entries.join(",")}}`;
}

/** The ids of `items` that `touched` does not hold; none when `touched` is null (the batch said all were). */
export function notAmong(items: ReadonlyArray<{ id: string }>, touched: readonly string[] | null | undefined): string[] {
  if (touched === null) return [];
  const done = new Set(touched ?? []);
  return items.filter((i) => !done.has(i.id)).map((i) => i.id);
}
