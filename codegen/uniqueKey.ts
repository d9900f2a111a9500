import { Node, SyntaxKind } from "ts-morph";

/**
 * Checks that `uniqueKey` is a function of its payload alone and returns its source with type
 * annotations removed. The enqueue client gets a copy, so that a process that only enqueues
 * never loads handler code (and its imports); anything it uses from outside would be missing.
 * Returns the reason as a string when it cannot be copied.
 */
export function selfContainedFunction(property: Node): { source: string } | string {
  let fn: Node | undefined = property;
  if (Node.isPropertyAssignment(property)) fn = property.getInitializer();
  while (fn && Node.isParenthesizedExpression(fn)) fn = fn.getExpression();
  if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) || Node.isMethodDeclaration(fn))) {
    return "must be written inline as a function, e.g. (p) => p.email";
  }
  const params = fn.getParameters();
  if (params.length !== 1 || params[0]!.getInitializer()) {
    return "must take exactly one parameter (the payload), without a default value";
  }
  const body = fn.getBody();
  if (!body) return "must have a body";
  for (const id of body.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const parent = id.getParent();
    if (parent && Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) continue;
    if (parent && Node.isPropertyAssignment(parent) && parent.getNameNode() === id) continue;
    const declarations = id.getSymbol()?.getDeclarations() ?? [];
    const local = declarations.some((d) => d.getPos() >= fn.getPos() && d.getEnd() <= fn.getEnd() && d.getSourceFile() === fn.getSourceFile());
    const global = declarations.length > 0 && declarations.every((d) => d.getSourceFile().isFromExternalLibrary() || d.getSourceFile().isInNodeModules() || /[\\/]typescript[\\/]lib[\\/]/.test(d.getSourceFile().getFilePath()));
    if (!local && !global) {
      return `uses \`${id.getText()}\` from outside the function; it may only use its payload parameter and built-ins (codegen copies it into the enqueue client)`;
    }
  }
  const param = params[0]!.getNameNode().getText();
  return { source: `(${param}) => ${body.getText()}` };
}
