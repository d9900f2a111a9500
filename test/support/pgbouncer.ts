import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { createServer, Socket } from "node:net";
import path from "node:path";
import { tempDir } from "./tempDir.js";

const BINARY = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].find((p) => existsSync(p));

export interface Bouncer {
  /** The database URL through PgBouncer (transaction pooling). */
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * A real PgBouncer in transaction mode in front of `databaseUrl` (Debian's package; `.ci/run`
 * installs it). Runs as the postgres system user when started as root, as PgBouncer requires.
 */
export async function startPgBouncer(databaseUrl: string): Promise<Bouncer> {
  if (!BINARY) throw new Error("pgbouncer is not installed: apt-get install pgbouncer (.ci/run does)");
  const target = new URL(databaseUrl);
  const dbName = target.pathname.slice(1);
  const port = await freePort();
  const dir = tempDir("pgbouncer");
  chmodSync(dir, 0o777);
  const ini = path.join(dir, "pgbouncer.ini");
  writeFileSync(ini, `[databases]
${dbName} = host=${target.hostname} port=${target.port || 5432} dbname=${dbName} user=${decodeURIComponent(target.username) || "postgres"}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = 10
max_client_conn = 200
logfile = ${path.join(dir, "pgbouncer.log")}
pidfile = ${path.join(dir, "pgbouncer.pid")}
ignore_startup_parameters = extra_float_digits,options
`);
  chmodSync(ini, 0o644);
  const args = process.getuid?.() === 0 ? ["-u", "postgres", ini] : [ini];
  const child: ChildProcess = spawn(BINARY, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  // Ready when it accepts connections.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
      socket.connect(port, "127.0.0.1");
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`pgbouncer did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: url.toString(),
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

