import type { GenerateModel } from "../model.js";
import { HEADER_MARK } from "./header.js";

/** `schemas/<task>.schema.json`: one JSON Schema per payload, for docs and other languages. */
export function emitSchemas(model: GenerateModel): Map<string, string> {
  const files = new Map<string, string>();
  for (const task of model.tasks) {
    const schema = { $comment: `${HEADER_MARK}. Payload of task "${task.name}" (${task.file}).`, ...task.schema };
    files.set(`schemas/${task.name}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}
