import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneModule from "ajv/dist/standalone/index.js";
import addFormatsModule from "ajv-formats";
import { CodegenError, type GenerateModel } from "../model.js";
import { header } from "./header.js";

// ajv-formats and ajv's standalone module are CommonJS; under NodeNext a default import is the
// module object, whose `default` is the function.
const standaloneCode = (standaloneModule as unknown as { default: (ajv: Ajv2020, refs: Record<string, string>) => string }).default;
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

export function validatorName(ident: string): string {
  return `validate_${ident}`;
}

/** The validator of a task's `index`th signal (names may hold `.` and `-`: not identifiers). */
export function signalValidatorName(ident: string, index: number): string {
  return `validate_${ident}_signal${index}`;
}

/**
 * Precompiled ajv validators (standalone code), so that no schema is compiled at run time.
 * ajv's ESM output still calls `require` for its runtime helpers and formats: a createRequire
 * shim provides it.
 */
export function emitValidators(model: GenerateModel, tasksDir: string): string {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    code: { source: true, esm: true, lines: true },
  });
  addFormats(ajv);
  const exports: Record<string, string> = {};
  for (const task of model.tasks) {
    try {
      ajv.addSchema(task.schema, task.name);
      ajv.getSchema(task.name);
    } catch (error) {
      throw new CodegenError([{
        file: task.file, line: task.line,
        message: `task "${task.name}": its payload schema is invalid (${(error as Error).message}); check the JSDoc tags (@format, @pattern, ...)`,
      }]);
    }
    exports[validatorName(task.ident)] = task.name;
    for (const [i, signal] of task.signals.entries()) {
      const key = `${task.name}#signal:${signal.name}`;
      try {
        ajv.addSchema(signal.schema, key);
        ajv.getSchema(key);
      } catch (error) {
        throw new CodegenError([{ file: task.file, line: signal.line, message: `task "${task.name}": the schema of signal "${signal.name}" is invalid (${(error as Error).message})` }]);
      }
      exports[signalValidatorName(task.ident, i)] = key;
    }
  }
  const code = model.tasks.length > 0 ? standaloneCode(ajv, exports) : `"use strict";\n`;
  return [
    header(tasksDir),
    "// @ts-nocheck",
    'import { createRequire } from "node:module";',
    // Resolve ajv's helpers from the runtime package, which depends on ajv: the project that
    // holds generated/ need not.
    `const require = createRequire(import.meta.resolve(${JSON.stringify(model.runtimeImport)}));`,
    code.replace(/^"use strict";/, ""),
  ].join("\n");
}
