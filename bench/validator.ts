import { Ajv2020 } from "ajv/dist/2020.js";
import type { CompiledValidator } from "../src/index.js";

const schema = {
  type: "object",
  properties: { i: { type: "integer" }, t: { type: "number" } },
  required: ["i"],
  additionalProperties: false,
};

/** The bench payload's validator (the same work codegen's precompiled one does). */
export function validatorFor(): CompiledValidator {
  return new Ajv2020({ allErrors: true }).compile(schema);
}
