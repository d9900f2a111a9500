import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { Node, SyntaxKind, type ObjectLiteralExpression } from "ts-morph";
import { defaultScheduleId, DEFAULT_TIME_ZONE, scheduleOptionProblem } from "../src/index.js";
import type { Diagnostic, JsonSchema, ScheduleModel } from "./model.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;
const STRING_OPTIONS = ["cron", "tz", "missed", "overlap", "id"];

/**
 * Reads the `schedules` of one task from its source, without running it: every option but the
 * payload must be a literal, so that a wrong expression, time zone or policy is an error at its
 * own line now rather than when a worker starts. The payload's type is checked by the compiler
 * (`ScheduleOptions<Payload>`); a literal payload is also validated against the task's schema
 * (formats, ranges, patterns: what types cannot say).
 */
export function readSchedules(
  options: ObjectLiteralExpression, taskName: string, schema: JsonSchema, file: string, out: Diagnostic[],
): ScheduleModel[] {
  const property = options.getProperty("schedules");
  if (!property) return [];
  const fail = (node: Node, message: string): void => {
    out.push({ file, line: node.getStartLineNumber(), message: `task "${taskName}": ${message}` });
  };
  const list = Node.isPropertyAssignment(property) ? unwrap(property.getInitializerOrThrow()) : property;
  if (!Node.isArrayLiteralExpression(list)) {
    fail(list, "`schedules` must be an array literal of object literals, so that `backie gen` can check each schedule");
    return [];
  }
  const schedules: ScheduleModel[] = [];
  list.getElements().forEach((element, index) => {
    const object = unwrap(element);
    const at = `schedules[${index}]`;
    if (!Node.isObjectLiteralExpression(object)) return fail(element, `${at} must be an object literal: { cron: "0 3 * * *", payload: {...} }`);
    const values = new Map<string, { node: Node; value: unknown }>();
    let readable = true;
    for (const member of object.getProperties()) {
      if (!Node.isPropertyAssignment(member)) {
        fail(member, `${at}: write each option as \`key: value\` (spreads and shorthands cannot be read by codegen)`);
        readable = false;
        continue;
      }
      const key = member.getName().replace(/^["']|["']$/g, "");
      const node = unwrap(member.getInitializerOrThrow());
      if (key === "payload") {
        values.set(key, { node, value: literalValue(node) });
        continue;
      }
      const value = STRING_OPTIONS.includes(key) ? stringLiteral(node) : key === "maxMissed" ? numberLiteral(node) : undefined;
      if (value === undefined && (STRING_OPTIONS.includes(key) || key === "maxMissed")) {
        fail(node, `${at}.${key} must be a ${key === "maxMissed" ? "number" : "string"} literal (codegen reads it without running your code)`);
        readable = false;
        continue;
      }
      values.set(key, { node, value });
    }
    if (!readable) return;
    const tz = values.get("tz");
    const zone = typeof tz?.value === "string" ? tz.value : DEFAULT_TIME_ZONE;
    let valid = true;
    for (const [key, { node, value }] of values) {
      if (key === "cron" && tz && scheduleOptionProblem("tz", tz.value)) continue;
      const problem = scheduleOptionProblem(key, value, zone);
      if (problem) {
        fail(node, `${at}.${key} ${problem}`);
        valid = false;
      }
    }
    const cron = values.get("cron")?.value;
    if (cron === undefined) return fail(object, `${at}: \`cron\` is required, e.g. cron: "0 3 * * *"`);
    // Left out, the payload is {} (the compiler allows that only when {} is a valid payload).
    const payload = values.get("payload") ?? { node: object, value: {} };
    if (payload.value !== NOT_LITERAL) {
      const problems = schemaProblems(schema, payload.value);
      if (problems) {
        fail(payload.node, `${at}.payload does not match the task's payload schema: ${problems}`);
        valid = false;
      }
    }
    if (!valid) return;
    const id = (values.get("id")?.value as string | undefined) ?? defaultScheduleId(taskName, cron as string, zone);
    schedules.push({ id, cron: cron as string, tz: zone, line: object.getStartLineNumber() });
  });
  return schedules;
}

const NOT_LITERAL = Symbol("not a literal");

/** The JSON value a literal expression denotes, or NOT_LITERAL. */
function literalValue(node: Node): unknown {
  node = unwrap(node);
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  const number = numberLiteral(node);
  if (number !== undefined) return number;
  if (node.getKind() === SyntaxKind.TrueKeyword) return true;
  if (node.getKind() === SyntaxKind.FalseKeyword) return false;
  if (node.getKind() === SyntaxKind.NullKeyword) return null;
  if (Node.isArrayLiteralExpression(node)) {
    const items = node.getElements().map(literalValue);
    return items.includes(NOT_LITERAL) ? NOT_LITERAL : items;
  }
  if (Node.isObjectLiteralExpression(node)) {
    const object: Record<string, unknown> = {};
    for (const member of node.getProperties()) {
      if (!Node.isPropertyAssignment(member) || Node.isComputedPropertyName(member.getNameNode())) return NOT_LITERAL;
      const value = literalValue(member.getInitializerOrThrow());
      if (value === NOT_LITERAL) return NOT_LITERAL;
      Object.defineProperty(object, member.getName().replace(/^["']|["']$/g, ""), { value, enumerable: true, writable: true, configurable: true });
    }
    return object;
  }
  return NOT_LITERAL;
}

function stringLiteral(node: Node): string | undefined {
  return Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) ? node.getLiteralValue() : undefined;
}

function numberLiteral(node: Node): number | undefined {
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.MinusToken) {
    const operand = unwrap(node.getOperand());
    if (Node.isNumericLiteral(operand)) return -operand.getLiteralValue();
  }
  return undefined;
}

function unwrap(node: Node): Node {
  while (Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isParenthesizedExpression(node)) node = node.getExpression();
  return node;
}

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<JsonSchema, ReturnType<Ajv2020["compile"]>>();

/** Why `value` fails `schema`, as one line, or undefined. */
function schemaProblems(schema: JsonSchema, value: unknown): string | undefined {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
  }
  const validate = compiled.get(schema) ?? ajv.compile(schema);
  compiled.set(schema, validate);
  if (validate(value)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath === "" ? "$" : `$${e.instancePath.replace(/\//g, ".")}`} ${e.message ?? "is invalid"}`).join("; ");
}
