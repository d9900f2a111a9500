import { Node, type ObjectLiteralExpression } from "ts-morph";

/** The expression under `as`, `satisfies` and parentheses. */
export function unwrap(node: Node): Node {
  while (Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isParenthesizedExpression(node)) {
    node = node.getExpression();
  }
  return node;
}

/** The value of `key` in an object literal (unwrapped), or the shorthand/method itself. */
export function initializerOf(object: ObjectLiteralExpression, key: string): Node | undefined {
  const property = object.getProperty(key);
  if (!property) return undefined;
  if (Node.isPropertyAssignment(property)) return unwrap(property.getInitializerOrThrow());
  return property;
}

/** The function a property holds: a method, or an arrow or function expression. */
export function functionOf(node: Node) {
  if (Node.isMethodDeclaration(node)) return node;
  if (Node.isPropertyAssignment(node)) {
    const init = unwrap(node.getInitializerOrThrow());
    if (Node.isArrowFunction(init) || Node.isFunctionExpression(init)) return init;
  }
  return undefined;
}
