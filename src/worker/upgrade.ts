import { describeThrown } from "../errors.js";
import { MAX_PAYLOAD_DEPTH, nestingExceeds, toJsonPayload } from "../payload.js";
import { payloadViolations, type CompiledValidator } from "../validation.js";

/**
 * How a payload of version N becomes version N + 1 (codegen writes one per older version into
 * the registry, from generated/manifest.json): the properties the newer schema no longer has are
 * dropped (`*` = any item or value), then, for a breaking change, the task's `upgrades[N]` runs.
 */
export interface VersionStep {
  readonly drop?: ReadonlyArray<ReadonlyArray<string>>;
  readonly upgrade?: true;
}

/** What upgradePayload reads of a registry entry (RegisteredTask). */
export interface Upgradable {
  readonly validate?: CompiledValidator;
  readonly definition: { readonly name: string; readonly upgrades?: Readonly<Record<number, (old: never) => unknown>> | undefined };
  readonly version?: number | undefined;
  readonly steps?: Readonly<Record<number, VersionStep>> | undefined;
}

/**
 * A stored payload as its run will get it, or why it cannot run (one line): bounded nesting, the
 * upgrades from its version, then this worker's schema. The worker runs every payload through it
 * before `run`; `backie check` runs every stored one through it before a deploy.
 */
export function runnablePayload(entry: Upgradable & { readonly validate: CompiledValidator }, taskName: string, version: number, payload: unknown): { payload: unknown } | { failed: string } {
  if (nestingExceeds(payload, MAX_PAYLOAD_DEPTH)) {
    return { failed: `stored payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels (the enqueue limit); it was not written by enqueue` };
  }
  const upgraded = upgradePayload(entry, version, payload);
  if ("failed" in upgraded) return upgraded;
  const violations = payloadViolations(entry.validate, upgraded.payload);
  if (violations.length > 0) {
    return { failed: `stored payload is invalid for task "${taskName}": ${violations.map((v) => `${v.path} ${v.message}`).join("; ")}` };
  }
  return upgraded;
}

/**
 * A stored payload in the shape this worker's schema expects: version 0 (none recorded) and the
 * current version as they are, an older one through each step up to the current version. The
 * result is JSON again (an upgrade may return Dates), validated by the caller like any payload.
 */
export function upgradePayload(entry: Upgradable, version: number, payload: unknown): { payload: unknown } | { failed: string } {
  const current = entry.version ?? 0;
  if (version === 0 || version === current) return { payload };
  const name = entry.definition.name;
  if (!Number.isInteger(version) || version < 0 || version > current) {
    return { failed: `stored payload version ${version} of task "${name}" is not one this worker knows (it runs 0 to ${current})` };
  }
  let value = payload;
  for (let from = version; from < current; from++) {
    const step = entry.steps?.[from] ?? {};
    if (step.drop) value = dropPaths(value, step.drop);
    if (!step.upgrade) continue;
    const upgrade = (entry.definition.upgrades as Readonly<Record<number, ((old: unknown) => unknown) | undefined>> | undefined)?.[from];
    if (typeof upgrade !== "function") {
      return { failed: `task "${name}" has no upgrades[${from}] for its breaking change from payload version ${from} to ${from + 1}: generated/ is stale, run \`backie gen\`` };
    }
    try {
      value = upgrade(value);
    } catch (error) {
      return { failed: `upgrades[${from}] of task "${name}" (payload version ${from} to ${from + 1}) threw: ${describeThrown(error).message}` };
    }
    if (value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function") {
      return { failed: `upgrades[${from}] of task "${name}" returned a promise: an upgrade must return the new payload itself` };
    }
  }
  const { json, violations } = toJsonPayload(value);
  if (violations.length > 0) {
    return { failed: `the upgrades of task "${name}" from payload version ${version} returned what is not JSON: ${violations.map((v) => `${v.path} ${v.message}`).join("; ")}` };
  }
  return { payload: json };
}

/** Removes the properties at `paths` (a fresh copy of the stored JSON: changed in place). */
function dropPaths(payload: unknown, paths: ReadonlyArray<ReadonlyArray<string>>): unknown {
  for (const path of paths) {
    let level: unknown[] = [payload];
    for (let at = 0; at < path.length && level.length > 0; at++) {
      const step = path[at]!;
      const last = at === path.length - 1;
      const next: unknown[] = [];
      for (const value of level) {
        if (value === null || typeof value !== "object") continue;
        const record = value as Record<string, unknown>;
        if (last) {
          if (!Array.isArray(value) && Object.hasOwn(record, step)) delete record[step];
          continue;
        }
        for (const k of step === "*" ? Object.keys(record) : [step]) if (Object.hasOwn(record, k)) next.push(record[k]);
      }
      level = next;
    }
  }
  return payload;
}
