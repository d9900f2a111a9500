import { Node, type ArrowFunction, type FunctionExpression, type MethodDeclaration, type ObjectLiteralExpression, type Type } from "ts-morph";
import type { Diagnostic, JsonSchema } from "./model.js";
import { payloadSchema } from "./payloadSchema.js";
import { initializerOf, unwrap } from "./syntax.js";

/** A signal a task declares: its name and its payload's schema. */
export interface SignalModel {
  name: string;
  line: number;
  schema: JsonSchema;
}

/**
 * `signals: { approved: {} as Approval }`: each signal's payload type (the type of its value)
 * as a schema, refused like a payload when it cannot be JSON.
 */
export function readSignals(object: ObjectLiteralExpression, task: string, file: string, out: Diagnostic[]): SignalModel[] {
  const value = initializerOf(object, "signals");
  if (value === undefined) return [];
  if (!Node.isObjectLiteralExpression(value)) {
    out.push({ file, line: value.getStartLineNumber(), message: `task "${task}": \`signals\` must be an object literal: signals: { approved: {} as Approval }` });
    return [];
  }
  const found: SignalModel[] = [];
  for (const property of value.getProperties()) {
    const line = property.getStartLineNumber();
    if (!Node.isPropertyAssignment(property)) {
      out.push({ file, line, message: `task "${task}": each signal is \`name: {} as PayloadType\`` });
      continue;
    }
    const name = property.getNameNode().getText().replace(/^["']|["']$/g, "");
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,99}$/.test(name)) {
      out.push({ file, line, message: `task "${task}": signal name "${name}" must start with a letter and hold only letters, digits, _ . - (at most 100)` });
      continue;
    }
    const initializer = property.getInitializerOrThrow();
    const { schema, problems } = payloadSchema(initializer.getType(), initializer);
    for (const p of problems) out.push({ file, line, message: `task "${task}": signal "${name}" payload ${p.path}: ${p.message}` });
    found.push({ name, line, schema });
  }
  return found;
}

/**
 * Every `ctx.step(id, fn)` in `run`: what `fn` returns (awaited) is what later runs get back
 * from JSON, so it must be a type that survives JSON (a payload type: no Map, Set, class
 * instance, bigint, function, undefined in arrays). Dates are fine: they come back as Dates.
 */
export function checkStepTypes(run: MethodDeclaration | ArrowFunction | FunctionExpression, task: string, file: string, out: Diagnostic[]): void {
  const ctx = run.getParameters()[1];
  if (ctx === undefined) return;
  const ctxName = ctx.getName();
  run.forEachDescendant((node) => {
    if (!Node.isCallExpression(node)) return;
    const callee = unwrap(node.getExpression());
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "step" || callee.getExpression().getText() !== ctxName) return;
    const [idArg, fnArg] = node.getArguments();
    if (fnArg === undefined) return;
    const id = idArg !== undefined && Node.isStringLiteral(idArg) ? idArg.getLiteralValue() : idArg?.getText() ?? "?";
    const returned = awaited(fnArg.getType().getCallSignatures()[0]?.getReturnType());
    if (returned === undefined || returned.isUndefined() || returned.getText() === "void" || returned.isAny()) return;
    const { problems } = payloadSchema(returned, fnArg);
    for (const p of problems) {
      out.push({
        file, line: node.getStartLineNumber(),
        message: `task "${task}": ctx.step ${JSON.stringify(id)} returns ${p.path === "$" ? "a value" : p.path} that does not survive JSON: ${p.message} (later runs get the stored JSON back)`,
      });
    }
  });
}

/** `Promise<T>` → T (one level, as `await` gives it). */
function awaited(type: Type | undefined): Type | undefined {
  if (type === undefined) return undefined;
  const symbol = type.getSymbol()?.getName();
  if (symbol === "Promise" || symbol === "PromiseLike") return type.getTypeArguments()[0] ?? type;
  return type;
}
