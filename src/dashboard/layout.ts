import { html, type Html } from "./html.js";

/** What every page needs to render links and forms. */
export interface PageContext {
  /** Path prefix of every link ("" or "/backie"). */
  base: string;
  csrfToken: string;
  readOnly: boolean;
  now: Date;
  /** One-line message after an action (from the redirect). */
  notice?: string | undefined;
}

const NAV = [
  ["/", "Overview"],
  ["/tasks", "Tasks"],
  ["/workers", "Workers"],
  ["/schedules", "Schedules"],
] as const;

/** The whole page; `live` (ms) makes the script refresh `<main>` by polling. */
export function layout(ctx: PageContext, page: { title: string; path: string; body: Html; live?: number }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Backie</title>
<link rel="stylesheet" href="${ctx.base}/assets/app.css">
<script src="${ctx.base}/assets/app.js" defer></script>
</head>
<body>
<header>
  <strong>Backie</strong>
  <nav>${NAV.map(([path, label]) => html`<a href="${ctx.base}${path}"${current(page.path, path)}>${label}</a>`)}</nav>
  <span class="mode">${ctx.readOnly ? "read-only" : ""}</span>
</header>
<main${page.live ? html` data-live="${page.live}"` : html``}>${notice(ctx)}${page.body}</main>
</body>
</html>
`;
}

function current(path: string, link: string): Html {
  const on = link === "/" ? path === "/" : path === link || path.startsWith(`${link}/`);
  return on ? html` aria-current="page"` : html``;
}

function notice(ctx: PageContext): Html {
  return ctx.notice ? html`<p class="notice" role="status">${ctx.notice}</p>` : html``;
}

/** A POST button with the CSRF token; nothing in read-only mode. */
export function action(ctx: PageContext, path: string, label: string, fields: Record<string, string> = {}, danger = false): Html {
  if (ctx.readOnly) return html``;
  return html`<form class="inline" method="post" action="${ctx.base}${path}">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<button type="submit"${danger ? html` class="danger"` : html``}>${label}</button></form>`;
}
