import { request } from "node:http";

/**
 * The status a local server answers `target` with, sent on the request line as written: fetch
 * would normalise targets such as `//%2F` or `*` away.
 */
export function statusOf(port: number | string, target: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    request({ host: "127.0.0.1", port, path: target, method: "GET" }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    }).on("error", reject).end();
  });
}
