import { fileURLToPath } from "node:url";
import { loadConfig } from "../../codegen/config.js";
import { generate } from "../../codegen/generate.js";
import { CodegenError } from "../../codegen/model.js";

/** The runtime task files of throwaway projects import (this repository's source). */
export const RUNTIME = fileURLToPath(new URL("../../src/index.js", import.meta.url));

/** What `backie gen` says of a project root, one line per problem (none: it generated). */
export function messagesOf(root: string): string[] {
  try {
    generate(loadConfig(root, { runtimeImport: RUNTIME }), { check: false });
    return [];
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return error.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`);
  }
}
