/**
 * The dashboard mounted in an Express app, under /admin/backie, with an `authorize` hook: anyone
 * may look, only requests your own auth marked as admins may change anything.
 * Run: DATABASE_URL=... node --import tsx examples/dashboardExpress.ts (then open http://127.0.0.1:3000/admin/backie/)
 */
import express, { type Express } from "express";
import { createDashboard, PgTaskStore, type TaskStore } from "../src/index.js";

export function buildExpressApp(store: TaskStore): Express {
  const app = express();
  const dashboard = createDashboard({
    store,
    basePath: "/admin/backie",
    // Replace with your session check: here a header your auth proxy would set.
    authorize: (req, action) => action === "view" || req.headers["x-user-role"] === "admin",
  });
  app.use("/admin/backie", dashboard);
  app.get("/", (_req, res) => {
    res.send("my app");
  });
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const store = PgTaskStore.fromEnv();
  buildExpressApp(store).listen(3000, "127.0.0.1", () => console.log("http://127.0.0.1:3000/admin/backie/"));
}
