import type { GenerateModel } from "../model.js";
import { HEADER_MARK } from "./header.js";
import { schemaHash } from "../versions.js";

/** `schemas/<task>.schema.json`: one JSON Schema per payload, for docs and other languages. */
export function emitSchemas(model: GenerateModel): Map<string, string> {
  const files = new Map<string, string>();
  for (const task of model.tasks) {
    const schema = { $comment: `${HEADER_MARK}. Payload of task "${task.name}" (${task.file}).`, ...task.schema };
    files.set(`schemas/${task.name}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}

/**
 * `manifest.json`: what tools (the `backie` CLI) need to know about each task without loading
 * TypeScript: names, queues, retry settings, files, schedules.
 */
export function emitManifest(model: GenerateModel): string {
  const tasks = model.tasks.map((t) => ({
    name: t.name, enqueue: t.ident, queue: t.queue, maxRetries: t.maxRetries, timeoutMs: t.timeoutMs,
    unique: t.uniqueKeySource !== null, file: t.file, line: t.line,
    schedules: t.schedules.map((s) => ({ id: s.id, cron: s.cron, tz: s.tz, line: s.line })),
    ...(t.aliases.length > 0 ? { aliases: t.aliases } : {}),
    ...(t.versions.length > 0 ? { version: t.versions.at(-1)!.version, hash: t.versions.at(-1)!.hash, versions: t.versions } : {}),
    // Signal payloads: a parked task takes what is sent across deploys (backie check compares them).
    ...(t.signals.length > 0 ? { signals: Object.fromEntries(t.signals.map((s) => [s.name, { hash: schemaHash(s.schema), schema: s.schema }])) } : {}),
  }));
  const generation = model.generation ?? 0;
  return `${JSON.stringify({ $comment: `${HEADER_MARK}. Payload versions and the generation are numbered from the last released manifest (git HEAD's by default): commit this file.`, generation, tasks }, null, 2)}\n`;
}
