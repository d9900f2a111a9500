/**
 * The dashboard mounted in a Fastify app under /backie, read-only. Fastify hands the raw Node
 * request and response over (`reply.hijack()`); the dashboard reads its own form bodies, so the
 * scope accepts url-encoded posts without parsing them.
 * Run: DATABASE_URL=... node --import tsx examples/dashboardFastify.ts (then open http://127.0.0.1:3001/backie/)
 */
import Fastify, { type FastifyInstance } from "fastify";
import { createDashboard, PgTaskStore, type TaskStore } from "../src/index.js";

export async function buildFastifyApp(store: TaskStore, options: { readOnly?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify();
  const dashboard = createDashboard({ store, basePath: "/backie", readOnly: options.readOnly ?? true });
  await app.register(async (scope) => {
    scope.addContentTypeParser("application/x-www-form-urlencoded", (_request, _payload, done) => done(null, undefined));
    const handler = (request: { raw: import("node:http").IncomingMessage }, reply: { hijack(): void; raw: import("node:http").ServerResponse }) => {
      reply.hijack();
      dashboard(request.raw, reply.raw);
    };
    scope.all("/backie", handler);
    scope.all("/backie/*", handler);
  });
  app.get("/", async () => "my app");
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const app = await buildFastifyApp(PgTaskStore.fromEnv());
  await app.listen({ port: 3001, host: "127.0.0.1" });
  console.log("http://127.0.0.1:3001/backie/");
}
