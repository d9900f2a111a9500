/** The README's quick start runs this demo: it must keep working and keep showing what it says. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { testDatabase } from "../support/db.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const db = await testDatabase("demo");

it("enqueues the example tasks and processes them, as the quick start promises", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "examples/demo.ts"], {
    cwd: REPO, env: { ...process.env, DATABASE_URL: db.url }, timeout: 60_000,
  });
  expect(stdout).toMatch(/same address again -> #(\d+) \(deduplicated: true\)/);
  expect(stdout).toContain('rejected before storing: invalid payload for task "send_welcome_email": $.to must match format "email"');
  expect(stdout).toContain("mail to ada@example.com: Welcome, Ada");
  expect(stdout.match(/succeeded resize_image#\d+/g)).toHaveLength(4);
  // A report that fails twice, succeeds, and enqueues its mail through ctx.enqueue.
  expect(stdout).toMatch(/retrying {2}generate_report#\d+ in 400 ms: upstream for account acme/);
  expect(stdout).toContain("mail to ops@acme.example: Your report for acme is ready");
  expect(stdout).toMatch(/FAILED {4}generate_report#\d+ after attempt 4: upstream for account globex/);
  // The app context from backie.worker.ts: created once, closed once, after the last mail.
  expect(stdout).toContain("mailer closed after 3 mails");
  // The recurring task declared in tasks/checkUptime.ts: reconciled at start, fired, run.
  expect(stdout).toContain("schedules added uptime-example-com");
  expect(stdout).toMatch(/scheduled check_uptime#\d+ for \d{4}-\d\d-\d\dT\d\d:\d\d:\d[05]\.000Z \(schedule uptime-example-com\)/);
  expect(stdout).toMatch(/log: checked https:\/\/example\.com\/health \(occurrence .* of uptime-example-com\): up/);
  expect(stdout.trimEnd().split("\n").at(-1)).toBe("reports/generate_report: 1 failed");
}, 90_000);
