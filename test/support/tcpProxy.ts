import net from "node:net";

/**
 * A TCP proxy in front of PostgreSQL that a test can cut: every open connection is destroyed,
 * and for `refuseMs` new ones are refused, as when the server restarts or the network drops.
 */
export interface TcpProxy {
  port: number;
  cut(refuseMs?: number): void;
  cuts: number;
  close(): Promise<void>;
}

export async function startProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let refuseUntil = 0;
  const server = net.createServer((client) => {
    if (Date.now() < refuseUntil) return client.destroy();
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxy: TcpProxy = {
    port: (server.address() as net.AddressInfo).port,
    cuts: 0,
    cut(refuseMs = 0) {
      proxy.cuts++;
      refuseUntil = Date.now() + refuseMs;
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
