/**
 * An HTTP request's target as a URL, or undefined when it does not parse. A path (origin form)
 * is always a path: `//x` resolved against a base would name host `x`, and `//%2F` no valid host
 * at all (a TypeError thrown in a request handler). Anything else (absolute form) is parsed as it
 * is: `*` and the like do not parse.
 */
export function requestTarget(target: string | undefined): URL | undefined {
  const raw = target ?? "/";
  try {
    return raw.startsWith("/") ? new URL(`http://request.invalid${raw}`) : new URL(raw);
  } catch {
    return undefined;
  }
}
