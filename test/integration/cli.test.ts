import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { runGen } from "../../codegen/cli.js";
import { tempDir } from "../support/tempDir.js";
import { testDatabase } from "../support/db.js";
import { newTask } from "../support/tasks.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const db = await testDatabase("cli");
const store = db.store();

function backie(args: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: db.url }) {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO, "cli/main.ts"), ...args], {
    cwd: REPO, env: { ...process.env, ...env }, encoding: "utf8",
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** The same, several at once (each is a Node start-up: in parallel they take a third of the time). */
function backieAll(calls: Array<[string[], NodeJS.ProcessEnv?]>) {
  return Promise.all(calls.map(([args, env]) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "cli/main.ts"), ...args], {
      cwd: REPO, env: { ...process.env, ...(env ?? { DATABASE_URL: db.url }) },
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    child.on("close", (code) => resolve({ code, out, err }));
  })));
}

describe("backie CLI", () => {
  it("has --help for every command", async () => {
    const commands = ["init", "gen", "check", "migrate", "worker", "enqueue", "signal", "status", "running", "failed", "retry", "cancel", "schedules", "pause", "resume", "workers", "bulk", "dashboard"];
    const results = await backieAll([...commands.map((c): [string[]] => [[c, "--help"]]), [["--help"]]]);
    commands.forEach((command, i) => {
      expect(results[i]!.code, command).toBe(0);
      expect(results[i]!.out, command).toMatch(/^Usage: backie /);
    });
    expect(results[commands.length]!.out).toContain("Commands:");
  });

  it("enqueues a validated task, or prints every violation and exits 1", () => {
    const ok = backie(["enqueue", "generate_report", '{"accountId":"acme","from":"2026-01-01","to":"2026-01-31"}', "--delay-ms", "60000"]);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toMatch(/^task \d+ enqueued/);
    const bad = backie(["enqueue", "send_welcome_email", '{"to":"nope"}']);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('backie enqueue: invalid payload for task "send_welcome_email": $.name is required; $.to must match format "email"\n');
  });

  it("gives one-line reasons for user mistakes, without stack traces", async () => {
    const cases: Array<[string[], string, NodeJS.ProcessEnv?]> = [
      [["enqueue", "nope", "{}"], 'backie enqueue: unknown task "nope"; known: analyze_document, check_uptime, count_words, fulfil_order, generate_report, resize_image, send_report_ready, send_welcome_email, summarize_counts'],
      [["enqueue", "generate_report", "{bad"], "backie enqueue: the payload is not valid JSON (Expected property name or '}' in JSON at position 1)"],
      [["retry", "abc"], 'backie retry: task id must be a whole number from 1 to 9223372036854775807, got "abc"'],
      [["cancel", "999999"], "backie cancel: no task 999999"],
      [["status", "--bogus"], "backie status: Unknown option '--bogus' (see --help)"],
      [["frobnicate"], 'backie: unknown command "frobnicate"'],
      [["check", "--first", "0"], 'backie check: --first must be a whole number from 1 to 1000, got "0"'],
      [["status"], "backie status: no database: set DATABASE_URL, pass --database-url, or set databaseUrl in backie.config.json", { DATABASE_URL: "" }],
      [["status"], "backie status: cannot reach the database (connect ECONNREFUSED 127.0.0.1:1): is PostgreSQL running, and is DATABASE_URL right?", { DATABASE_URL: "postgres://postgres@127.0.0.1:1/x" }],
    ];
    const results = await backieAll(cases.map(([args, , env]) => [args, env]));
    const missing = await backieAll([[["check", "--baseline", "nowhere.json"]], [["check"]]]);
    expect(missing[0]).toMatchObject({ code: 1, out: expect.stringMatching(/^payload schemas against .*nowhere\.json: no changes\nerror: backie\.config\.json:1: manifestBaseline ".*nowhere\.json": no manifest there\n$/) });
    expect(missing[1]).toMatchObject({ code: 0, out: "payload schemas against git HEAD:generated/manifest.json: no changes\n" });
    for (const [i, [args, message]] of cases.entries()) {
      const { code, err } = results[i]!;
      expect(code, args.join(" ")).toBe(1);
      expect(err.split("\n")[0], args.join(" ")).toBe(message);
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it("shows status per queue and state with unknown task names, as text and JSON", async () => {
    await store.insertTasks([newTask("from_a_newer_deploy", "email"), newTask("send_welcome_email", "email", { to: "a@b.co", name: "A" })]);
    await store.insertTasks([newTask("resize_image", "status_images"), newTask("resize_image", "status_images", {}, { delayMs: 3_600_000 })]);
    await store.claimTasks({ queueName: "status_images", taskNames: ["resize_image"], limit: 1, owner: "t", leaseMs: 60_000 });
    const text = backie(["status"]);
    expect(text.code).toBe(0);
    // This server may run without autovacuum (CI's does): status says so, first.
    const autovacuum = ((await db.sql.query("SHOW autovacuum")).rows[0] as { autovacuum: string }).autovacuum === "on";
    if (!autovacuum) expect(text.out).toMatch(/^warning: autovacuum is off on this server: the task table grows without bound under churn/);
    else expect(text.out).not.toContain("warning:");
    const table = text.out.replace(/^warning: [^\n]*\n/gm, "");
    expect(table).toMatch(/^queue\s+task\s+ready\s+running\s+claimed\s+done\s+failed\s+cancelled\s+sleeping\s+waiting\s+oldest ready\s+longest running/);
    expect(text.out).toMatch(/email\s+send_welcome_email\s+1\s+0\s+0\s+-\s+0\s+-\s+0\s+0\s+\d+ (ms|s)\s+-/);
    // One claimed, one scheduled for later: not yet waiting, so no "oldest ready".
    // The claimed task is held, not a confirmed run: claimed 1, running 0.
    expect(text.out).toMatch(/status_images\s+resize_image\s+1\s+0\s+1\s+-\s+0\s+-\s+0\s+0\s+-\s+\d+ (ms|s)/);
    expect(text.out).toContain("(done and cancelled: `backie status --all` counts them, reading the whole history)");
    expect(backie(["status", "--all"]).out).toMatch(/status_images\s+resize_image\s+1\s+0\s+1\s+0\s+0\s+0\s+0\s+0\s+-\s+\d+ (ms|s)/);
    expect(text.out).toContain("unknown task names (no task file defines them; they stay ready): from_a_newer_deploy in email (1 ready)");
    const json = JSON.parse(backie(["status", "--json"]).out) as { queues: Array<{ queue: string; counts: Record<string, number>; claimed: number }>; unknownTaskNames: unknown[]; warnings: string[] };
    expect(json.queues.find((q) => q.queue === "status_images")).toMatchObject({ counts: { ready: 1, running: 0 }, claimed: 1 });
    expect(json.unknownTaskNames).toEqual([{ task: "from_a_newer_deploy", queue: "email", ready: 1 }]);
    expect(json.warnings).toHaveLength(autovacuum ? 0 : 1);
  });

  it("lists schedules with their next run and known task, and removes only undeclared ones", async () => {
    const row = (id: string, taskName: string, cron: string, nextAt: Date | null) => ({
      id, taskName, queueName: "monitoring", cron, tz: "Europe/Berlin", payloadJson: "{}", maxRetries: 0,
      missed: "skip" as const, maxMissed: 100, overlap: "skip" as const, nextAt,
    });
    const next = new Date(Date.now() + 3_600_000);
    await store.schedules.reconcileSchedules(["check_uptime", "gone_task"], [
      row("uptime-example-com", "check_uptime", "*/5 * * * * *", next), row("old-report", "gone_task", "0 3 * * *", null),
    ]);
    const text = backie(["schedules"]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^id\s+task\s+cron\s+tz\s+last\s+next\s+missed\s+overlap\s+task known/);
    expect(text.out).toMatch(/old-report\s+gone_task\s+0 3 \* \* \*\s+Europe\/Berlin\s+-\s+never\s+skip\s+skip\s+NO/);
    expect(text.out).toMatch(new RegExp(`uptime-example-com\\s+check_uptime\\s+\\*/5 \\* \\* \\* \\* \\*\\s+Europe/Berlin\\s+-\\s+${next.toISOString()} \\(in (59|60) min\\)\\s+skip\\s+skip\\s+yes`));
    expect(text.out).toContain("schedules of tasks this project does not define (another deploy's, or left behind; `backie schedules remove <id>`): old-report");
    const json = JSON.parse(backie(["schedules", "--json"]).out) as { schedules: Array<{ id: string; taskKnown: boolean; declared: boolean }> };
    expect(json.schedules.map((s) => [s.id, s.taskKnown, s.declared])).toEqual([["old-report", false, false], ["uptime-example-com", true, true]]);
    const [declared, removed, missing, noId, badAction] = await backieAll([
      [["schedules", "remove", "uptime-example-com"]], [["schedules", "remove", "old-report"]], [["schedules", "remove", "never-stored"]],
      [["schedules", "remove"]], [["schedules", "purge"]],
    ]);
    expect(declared!.err).toMatch(/^backie schedules: schedule "uptime-example-com" is declared in tasks\/checkUptime\.ts:\d+: remove it from the code instead/);
    expect(removed!.out).toBe("removed schedule old-report\n");
    expect(missing!.err).toBe('backie schedules: no stored schedule "never-stored" (see `backie schedules`)\n');
    expect(noId!.err).toBe("backie schedules: remove needs the id of at least one schedule (see `backie schedules`)\n");
    expect(badAction!.err).toBe('backie schedules: unknown action "purge": use `backie schedules` or `backie schedules remove <id>`\n');
    expect((await store.schedules.listSchedules()).schedules.map((s) => s.id)).toEqual(["uptime-example-com"]);
  });

  it("pauses and resumes a queue (shown in status), lists workers, and runs bulk actions with checked arguments", async () => {
    const [paused, shown, workers, badQueue, noQueue] = await backieAll([
      [["pause", "cli_paused"]], [["workers"]], [["workers", "--json"]], [["pause", "bad\u0007q"]], [["resume"]],
    ]);
    expect(paused!.out).toBe("queue cli_paused paused: workers claim nothing from it until `backie resume cli_paused`\n");
    expect(shown!.out).toBe("no running workers\n");
    expect(JSON.parse(workers!.out)).toEqual([]);
    expect(badQueue!.err).toBe('backie pause: queue "bad\\u0007q" must not contain control characters\n');
    expect(noQueue!.err).toBe("backie resume: missing queue name (backie resume <queue>)\n");
    expect(backie(["status"]).out).toMatch(/^paused: queue cli_paused since \d{4}-\S+ \(workers claim nothing from it; `backie resume cli_paused`\)$/m);
    expect(backie(["resume", "cli_paused"]).out).toBe("queue cli_paused resumed\n");
    expect(backie(["status"]).out).not.toContain("paused:");
    await store.insertTasks([newTask("bulk_cli", "cli_bulk"), newTask("bulk_cli", "cli_bulk")]);
    const [cancelled, needsQueue, badDuration, badAction, deleted] = await backieAll([
      [["bulk", "cancel-ready", "--queue", "cli_bulk"]], [["bulk", "cancel-ready"]], [["bulk", "delete-finished", "--older-than", "soon"]],
      [["bulk", "explode"]], [["bulk", "delete-finished", "--older-than", "7d", "--queue", "cli_bulk"]],
    ]);
    expect(cancelled!.out).toBe("cancelled 2 task(s)\n");
    expect(needsQueue!.err).toBe("backie bulk: cancel-ready needs --queue (cancelling every ready task of every queue is rarely meant)\n");
    expect(badDuration!.err).toBe('backie bulk: duration must be a number with ms, s, min, h or d (e.g. 7d), up to 100 years, got "soon"\n');
    expect(badAction!.err).toBe('backie bulk: unknown or missing action "explode": use retry-failed, cancel-ready, delete-finished\n');
    expect(deleted!.out).toBe("deleted 0 task(s)\n");
  });

  it("serves the dashboard on loopback, read-only when asked, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "cli/main.ts"), "dashboard", "--port", "0", "--read-only", "--base-path", "/ops"], {
      cwd: REPO, env: { ...process.env, DATABASE_URL: db.url },
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => {
          out += c;
          const match = /^backie dashboard on (http:\/\/127\.0\.0\.1:\d+\/ops) \(read-only\)$/m.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on("exit", () => reject(new Error(`exited: ${out}`)));
      });
      const page = await fetch(`${url}/tasks`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(await page.text()).toContain('<span class="mode">read-only</span>');
      expect((await fetch(`${url}/queues/x/pause`, { method: "POST" })).status).toBe(405);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    const [taken] = await backieAll([[["dashboard", "--port", "99999"]]]);
    expect(taken!.err).toBe('backie dashboard: --port must be a whole number from 0 to 65535, got "99999"\n');
  });

  it("sends a typed signal by id or key, shows a durable task's steps, parked state and inbox, and retries from the start", async () => {
    const [order] = await store.insertTasks([newTask("fulfil_order", "orders", { orderId: "cli-1", amountCents: 5, coolOffMs: 0 }, { uniqueKey: "cli-1" })]);
    await db.sql.query(`UPDATE backie_tasks SET parked = 'waiting', waiting_for = 'approved', scheduled_at = 'infinity',
      steps = '[{"id":"charge","kind":"step","result":{"chargeId":"ch_1"},"at":"2026-12-01T00:00:00.000Z","ms":12},{"id":"cool-off","kind":"sleep","until":"2026-12-01T00:00:01.000Z","at":"2026-12-01T00:00:00.000Z"},{"id":"approved","kind":"wait","signal":"approved","at":"2026-12-01T00:00:01.000Z"}]'
      WHERE id = $1`, [order!.id]);
    const waiting = backie(["show", order!.id]).out;
    expect(waiting).toContain('waiting for signal "approved" (time-out: when its signal comes)\n');
    expect(waiting).toContain(", scheduled when its signal comes,");
    expect(waiting).toContain('steps (3):\n  1. step "charge" 12 ms, result 19 bytes, at 2026-12-01T00:00:00.000Z\n  2. sleep "cool-off" until 2026-12-01T00:00:01.000Z\n  3. wait "approved" for "approved": waiting');
    const [byId, byKey, bad, unknown, noSignals] = await backieAll([
      [["signal", "fulfil_order", order!.id, "approved", '{"by":"ops","approved":true}']],
      [["signal", "fulfil_order", "--key", "cli-1", "approved", '{"by":"qa","approved":false}']],
      [["signal", "fulfil_order", order!.id, "approved", '{"by":"ops"}']],
      [["signal", "fulfil_order", order!.id, "shipped", "{}"]],
      [["signal", "send_welcome_email", order!.id, "approved", "{}"]],
    ]);
    expect(byId).toMatchObject({ code: 0, out: `signal "approved" sent to task ${order!.id}\n` });
    expect(byKey).toMatchObject({ code: 0, out: `signal "approved" sent to task ${order!.id}\n` });
    expect(bad).toMatchObject({ code: 1, err: 'backie signal: invalid payload for task "fulfil_order" signal "approved": $.approved is required\n' });
    expect(unknown).toMatchObject({ code: 1, err: 'backie signal: task "fulfil_order" has no signal "shipped"; it declares: approved\n' });
    expect(noSignals).toMatchObject({ code: 1, err: 'backie signal: task "send_welcome_email" declares no signals\n' });
    const sent = await store.findTasks([order!.id]);
    // Sent at the same time: in either order.
    expect(sent[0]!.inbox.map((m) => m.payload).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ by: "ops", approved: true }, { by: "qa", approved: false }]);
    // Woken: due now, so a worker takes it at once.
    expect(sent[0]!.scheduledAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(backie(["show", order!.id]).out).toContain("signals not yet taken: approved, approved");
    // A failed durable task retried from the start forgets its history.
    await db.sql.query("UPDATE backie_tasks SET state = 'failed', finished_at = now() WHERE id = $1", [order!.id]);
    expect(backie(["retry", order!.id, "--from-start"])).toMatchObject({ code: 0, out: `task ${order!.id} will run again, from its first step\n` });
    expect((await store.findTasks([order!.id]))[0]!.steps).toEqual([]);
    expect(backie(["cancel", order!.id, "--from-start"])).toMatchObject({ code: 1, err: "backie cancel: --from-start is an option of backie retry\n" });
  });

  it("lists failures, retries and cancels by id", async () => {
    const [doomed, waiting] = await store.insertTasks([newTask("resize_image", "cli_admin", {}, { maxRetries: 0 }), newTask("resize_image", "cli_admin", {}, { delayMs: 600_000 })]);
    const [claimed] = await store.claimTasks({ queueName: "cli_admin", taskNames: ["resize_image"], limit: 1, owner: "t", leaseMs: 10_000 });
    await store.completeTasks([{ id: claimed!.id, token: claimed!.token, outcome: "failed", remove: false, error: { attempt: 1, kind: "error", message: "thumbnailer crashed", at: new Date().toISOString() } }]);
    expect(backie(["failed"]).out).toMatch(new RegExp(`^#${doomed!.id} resize_image \\(queue cli_admin\\) failed \\S+ after 1 of 1 runs: thumbnailer crashed`, "m"));
    expect(backie(["retry", doomed!.id]).out).toBe(`task ${doomed!.id} will run again\n`);
    expect(backie(["retry", doomed!.id]).err).toBe(`backie retry: task ${doomed!.id} is ready: only failed or cancelled tasks can be retried\n`);
    expect(backie(["cancel", waiting!.id]).out).toBe(`task ${waiting!.id} cancelled\n`);
    expect((await store.findTasks([waiting!.id]))[0]!.state).toBe("cancelled");
    expect(backie(["cancel", waiting!.id]).err).toBe(`backie cancel: task ${waiting!.id} is cancelled: only ready or running tasks can be cancelled\n`);
    const [busy] = await store.insertTasks([newTask("resize_image", "cli_busy")]);
    const [held] = await store.claimTasks({ queueName: "cli_busy", taskNames: ["resize_image"], limit: 1, owner: "t", leaseMs: 10_000 });
    await store.setProgress([{ id: held!.id, token: held!.token, progressJson: JSON.stringify({ rows: 3, of: 10 }) }]);
    const shown = backie(["show", busy!.id]).out;
    expect(shown).toMatch(new RegExp(`^#${busy!.id} resize_image \\(queue cli_busy, payload version 0: none recorded\\): running, attempt 1 of 4$`, "m"));
    expect(shown).toMatch(/^lease: t until \d{4}-/m);
    expect(shown).toMatch(/^progress: \{"of":10,"rows":3\} at \d{4}-/m);
    expect(shown).toMatch(/^last error: -$/m);
    expect(JSON.parse(backie(["show", doomed!.id, "--json"]).out)).toMatchObject({ id: doomed!.id, state: "ready", errors: [{ message: "thumbnailer crashed" }] });
    expect(backie(["show", "999999999"]).err).toBe("backie show: no task 999999999 (finished tasks of removeDone queues are deleted)\n");
    expect(backie(["running"]).out).toMatch(new RegExp(`^#${busy!.id} resize_image \\(queue cli_busy\\) attempt 1, claimed, held \\d+ (ms|s) by t; reservation until \\d{4}-`, "m"));
    await store.extendLeases([held!], 10_000, { confirm: true });
    expect(backie(["running"]).out).toMatch(new RegExp(`^#${busy!.id} resize_image \\(queue cli_busy\\) attempt 1, running, held \\d+ (ms|s) by t; lease until \\d{4}-`, "m"));
    expect(backie(["cancel", busy!.id]).out).toBe(
      `task ${busy!.id} cancelled; it was running: its worker aborts it at the next heartbeat and discards its result\n`,
    );
  });
});

describe("backie gen", () => {
  it("--check fails with a diff when generated/ is stale, and --watch regenerates on change", async () => {
    const root = tempDir("watch");
    mkdirSync(path.join(root, "tasks"));
    const runtime = path.join(REPO, "src/index.js");
    writeFileSync(path.join(root, "backie.config.json"), JSON.stringify({ runtimeImport: runtime }));
    const task = (field: string) => `import { defineTask } from ${JSON.stringify(runtime)};\nexport default defineTask({ name: "watched", async run(p: { ${field}?: string }) { void p; } });\n`;
    writeFileSync(path.join(root, "tasks", "watched.ts"), task("first"));
    // In this process (one compiler start per call, no node + tsx start-up each time); --watch below runs as its own process.
    const gen = (...args: string[]) => {
      let stdout = "";
      let stderr = "";
      const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void (stdout += `${a.join(" ")}\n`));
      const error = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void (stderr += `${a.join(" ")}\n`));
      try {
        return { status: runGen(["--root", root, ...args]), stdout, stderr };
      } finally {
        log.mockRestore();
        error.mockRestore();
      }
    };
    expect(gen().status).toBe(0);
    expect(gen("--check").status).toBe(0);
    writeFileSync(path.join(root, "tasks", "watched.ts"), task("second"));
    const stale = gen("--check");
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('+    "second": {');
    expect(stale.stderr).toContain("generated/ is stale");

    const watcher = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "codegen/cli.ts"), "--root", root, "--watch"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    watcher.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    try {
      const schema = () => readFileSync(path.join(root, "generated/schemas/watched.schema.json"), "utf8");
      const waitFor = async (check: () => boolean) => {
        const deadline = Date.now() + 90_000;
        while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        return check();
      };
      expect(await waitFor(() => out.includes("watching"))).toBe(true);
      expect(schema()).toContain('"second"');
      writeFileSync(path.join(root, "tasks", "watched.ts"), task("third"));
      expect(await waitFor(() => schema().includes('"third"'))).toBe(true);
      // Adding backie.worker.ts regenerates too: the worker entrypoint now imports it.
      const worker = () => readFileSync(path.join(root, "generated/worker.ts"), "utf8");
      expect(worker()).not.toContain("backie.worker.js");
      writeFileSync(path.join(root, "backie.worker.ts"), `import { defineWorker } from ${JSON.stringify(runtime)};\nexport default defineWorker({});\n`);
      expect(await waitFor(() => worker().includes('import settings from "../backie.worker.js";'))).toBe(true);
    } finally {
      watcher.kill("SIGTERM");
    }
  }, 240_000);
});
