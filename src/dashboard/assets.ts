/**
 * The dashboard's only assets, shipped in the package (no CDN, works offline): a stylesheet and a
 * small script for live updates. Served from the dashboard's own path so that the
 * Content-Security-Policy can forbid inline scripts and every other origin.
 */

export const STYLESHEET = `
:root { --fg: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f7f8fa; --accent: #2e5bff; --bad: #c0362c; --ok: #1a7f4b; --warn: #b54708; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; background: #fff; border-bottom: 1px solid var(--line); }
header strong { font-size: 15px; }
header nav a { margin-right: 1rem; color: var(--muted); text-decoration: none; }
header nav a[aria-current="page"] { color: var(--fg); font-weight: 600; }
header .mode { margin-left: auto; color: var(--muted); font-size: 12px; }
main { padding: 1rem 1.2rem 3rem; max-width: 1200px; }
h1 { font-size: 18px; margin: .2rem 0 1rem; }
h2 { font-size: 15px; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: var(--accent); }
.state-failed { color: var(--bad); font-weight: 600; }
.state-done { color: var(--ok); }
.state-running { color: var(--warn); }
.state-claimed { color: var(--muted); }
.paused { color: var(--bad); font-weight: 600; }
.notice { background: #ecfdf3; border: 1px solid #abefc6; padding: .5rem .8rem; margin-bottom: 1rem; }
.problem { background: #fef3f2; border: 1px solid #fecdca; padding: .5rem .8rem; margin-bottom: 1rem; }
form.inline { display: inline; }
button { font: inherit; padding: .2rem .7rem; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; }
button.danger { color: var(--bad); border-color: #fecdca; }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
input, select { font: inherit; padding: .2rem .4rem; border: 1px solid var(--line); border-radius: 4px; }
pre { background: #fff; border: 1px solid var(--line); padding: .7rem; overflow: auto; max-height: 30rem; white-space: pre-wrap; word-break: break-word; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: #fff; border: 1px solid var(--line); padding: .7rem; }
dt { color: var(--muted); }
dd { margin: 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 1rem; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); padding: .6rem; }
figcaption { font-size: 12px; color: var(--muted); margin-bottom: .3rem; }
svg rect.ok { fill: #53b483; } svg rect.bad { fill: #e0675d; }
.muted { color: var(--muted); }
.pager { margin-top: .8rem; }
`;

/**
 * Live updates by short polling: every 2 s the page asks for its own main content again
 * (`X-Backie-Fragment: 1`) and swaps it in when it changed. Paused while the user types in a form
 * or the tab is hidden. Without JavaScript every page still works (reload to refresh).
 *
 * The fetched text is compared after the browser's own parse and serialisation (a template):
 * compared raw it never equals innerHTML, and every poll swapped the content. A swap between a
 * press and its release loses the click (its target left the document), so none happens for a
 * moment after a press or key, nor once a form is submitted.
 */
export const SCRIPT = `
(function () {
  var main = document.querySelector("main[data-live]");
  if (!main) return;
  var busy = false, holdUntil = 0, leaving = false;
  function hold() { holdUntil = Date.now() + 1500; }
  function held() { return leaving || document.hidden || Date.now() < holdUntil; }
  main.addEventListener("pointerdown", hold, true);
  main.addEventListener("keydown", hold, true);
  document.addEventListener("submit", function () { leaving = true; }, true);
  window.addEventListener("pagehide", function () { leaving = true; });
  function refresh() {
    if (busy || held()) return;
    var active = document.activeElement;
    if (active && main.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) return;
    busy = true;
    fetch(location.href, { headers: { "X-Backie-Fragment": "1" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (text === null || held()) return;
        var parsed = document.createElement("template");
        parsed.innerHTML = text;
        if (parsed.innerHTML !== main.innerHTML) { main.innerHTML = parsed.innerHTML; main.setAttribute("data-refreshed", String(Date.now())); }
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  setInterval(refresh, Number(main.getAttribute("data-live")) || 2000);
})();
`;
