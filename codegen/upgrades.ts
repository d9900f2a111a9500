import { Node, type ObjectLiteralExpression, type SourceFile, type Type } from "ts-morph";
import type { Diagnostic } from "./model.js";
import { functionOf, initializerOf } from "./syntax.js";

/** What an upgrade's types are checked against: generated/versions.ts (in memory) and the payload. */
export interface UpgradeTypes {
  /** generated/versions.ts as the baseline makes it: `<Ident>V<n>` for each released version. */
  versions: SourceFile | undefined;
  /** `<Ident>V<n>` of this task. */
  typeName: (version: number) => string;
  /** The payload type `run` takes: what the last upgrade must return. */
  payload: Type;
}

/**
 * `upgrades: { 1: (old) => ... }`: the versions it upgrades from (numeric keys), with lines. Each
 * is type-checked where the types are known: it must take every payload of its version
 * (`<Ident>V<n>`, as stored: JSON) and return one of the next (`<Ident>V<n+1>`, or the payload
 * type of `run` for the newest), synchronously.
 */
export function readUpgrades(object: ObjectLiteralExpression, name: string, file: string, types: UpgradeTypes, out: Diagnostic[]): Array<{ from: number; line: number }> {
  const value = initializerOf(object, "upgrades");
  if (value === undefined) return [];
  if (!Node.isObjectLiteralExpression(value)) {
    out.push({ file, line: value.getStartLineNumber(), message: `task "${name}": \`upgrades\` must be an object literal: upgrades: { 1: (old: MyTaskV1) => ({ ...old }) }` });
    return [];
  }
  const found: Array<{ from: number; line: number }> = [];
  for (const property of value.getProperties()) {
    const key = Node.isPropertyAssignment(property) || Node.isMethodDeclaration(property) ? property.getNameNode().getText().replace(/^["']|["']$/g, "") : undefined;
    const from = key !== undefined && /^[1-9]\d{0,8}$/.test(key) ? Number(key) : undefined;
    if (from === undefined) {
      out.push({ file, line: property.getStartLineNumber(), message: `task "${name}": each key of \`upgrades\` is the payload version it upgrades from (1, 2, ...), got ${key ?? property.getText().slice(0, 40)}` });
      continue;
    }
    found.push({ from, line: property.getStartLineNumber() });
    const problem = typeProblem(property, from, types);
    if (problem !== undefined) out.push({ file, line: property.getStartLineNumber(), message: `task "${name}": upgrades[${from}] ${problem}` });
  }
  return found;
}

function typeProblem(property: Node, from: number, types: UpgradeTypes): string | undefined {
  const fn = functionOf(property);
  if (fn === undefined || types.versions === undefined) return undefined;
  const older = types.versions.getTypeAlias(types.typeName(from));
  // A version the baseline does not have: assignVersions says there is no such version.
  if (older === undefined) return undefined;
  const checker = fn.getProject().getTypeChecker().compilerObject;
  const [param] = fn.getParameters();
  if (param !== undefined && !checker.isTypeAssignableTo(older.getType().compilerType, param.getType().compilerType)) {
    return `takes ${param.getType().getText(param)}, which does not accept every stored payload of version ${from}: type it \`(old: ${types.typeName(from)})\` (import type { ${types.typeName(from)} } from "../generated/versions.js")`;
  }
  const next = types.versions.getTypeAlias(types.typeName(from + 1));
  const target = next?.getType() ?? types.payload;
  const returned = fn.getReturnType();
  if (!checker.isTypeAssignableTo(returned.compilerType, target.compilerType)) {
    const what = next !== undefined ? `a payload of version ${from + 1} (${types.typeName(from + 1)})` : "the payload `run` takes";
    return `returns ${returned.getText(fn)}, which is not ${what}${fn.isAsync() ? ": an upgrade must not be async" : ""}`;
  }
  return undefined;
}
