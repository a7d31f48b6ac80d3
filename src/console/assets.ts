/** The console's only stylesheet, served from /admin/assets/console.css (CSP: style-src 'self'). */
export const CONSOLE_CSS = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --bg: #f6f7f9; --accent: #1f5fbf; --danger: #b3261e; --ok: #1e7a3c; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
header.top { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.5rem; background: var(--ink); color: #fff; }
header.top a { color: #fff; text-decoration: none; }
header.top nav { display: flex; gap: 1rem; flex: 1; }
header.top form { margin: 0; }
header.top .who { color: #c9cfdb; font-size: .9em; }
main { max-width: 1200px; margin: 1.5rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.8rem 0 .6rem; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; font-size: .92em; }
td a, td.meta { overflow-wrap: anywhere; }
th { background: #eef0f4; font-weight: 600; }
td.meta { font-family: ui-monospace, monospace; font-size: .82em; word-break: break-all; min-width: 8rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin-bottom: 1rem; }
label { display: flex; flex-direction: column; font-size: .85em; color: var(--muted); gap: .2rem; }
input, select, button { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--ink); }
button, .button { cursor: pointer; background: var(--accent); color: #fff; border-color: var(--accent); text-decoration: none; padding: .35rem .8rem; border-radius: 4px; display: inline-block; }
button.danger, .button.danger { background: var(--danger); border-color: var(--danger); }
.button.secondary { background: #fff; color: var(--ink); border: 1px solid var(--line); }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin-bottom: 1.2rem; }
.actions form { display: flex; gap: .4rem; align-items: end; margin: 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.2rem; }
.card.narrow { max-width: 26rem; margin: 3rem auto; }
.card.narrow form { display: flex; flex-direction: column; gap: .8rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.flash { padding: .6rem 1rem; border-radius: 4px; margin-bottom: 1rem; background: #e6f4ea; color: var(--ok); border: 1px solid #b7dfc2; }
.error { padding: .6rem 1rem; border-radius: 4px; margin-bottom: 1rem; background: #fdecea; color: var(--danger); border: 1px solid #f3c1bc; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 10px; font-size: .8em; background: #eef0f4; }
.badge.bad { background: #fdecea; color: var(--danger); }
.badge.good { background: #e6f4ea; color: var(--ok); }
.badge.warn { background: #fff4dc; color: var(--warn); }
.pager { display: flex; gap: 1rem; align-items: center; margin-top: .8rem; }
.muted { color: var(--muted); }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 1.2rem; }
@media (max-width: 800px) { .grid { grid-template-columns: 1fr; } }
/* --- everyday jobs (issue 17): forms, bulk bar, sortable headers, the narrow layout --- */
.title-row { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: center; justify-content: space-between; margin-bottom: 1rem; }
.title-row h1 { margin: 0; }
form.bulk { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin-bottom: .8rem; padding: .6rem .8rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
a.sort { color: inherit; text-decoration: none; white-space: nowrap; }
/* An address is one word in the list: its column is as wide as the longest, and the table scrolls on small screens. */
table.users td a { overflow-wrap: normal; white-space: nowrap; }
@media (max-width: 1000px) { table.users { display: block; overflow-x: auto; width: max-content; max-width: 100%; } }
a.sort:hover, a.sort.active { color: var(--accent); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.card.form-card { max-width: 34rem; margin: 1rem auto; }
.card.narrow.wide { max-width: 36rem; }
form.fields { display: flex; flex-direction: column; gap: .8rem; }
form.fields input { width: 100%; }
.buttons { display: flex; flex-wrap: wrap; gap: .6rem; }
label.field.invalid input { border-color: var(--danger); }
.field-error { color: var(--danger); }
table.password-history td.meta { min-width: 0; word-break: normal; overflow-wrap: break-word; }
ul.accounts { margin: 0 0 1rem; padding-left: 1.2rem; overflow-wrap: anywhere; }
time { white-space: nowrap; }
h1, h2, .card p { overflow-wrap: anywhere; }
dl.facts > * { min-width: 0; overflow-wrap: anywhere; }
@media (max-width: 700px) {
  header.top { flex-wrap: wrap; gap: .4rem 1rem; padding: .6rem 1rem; }
  header.top nav { order: 3; flex-basis: 100%; flex-wrap: wrap; gap: .4rem 1rem; }
  header.top strong { flex: 1; }
  header.top .who { order: 4; flex-basis: 100%; overflow-wrap: anywhere; }
  main { margin: 1rem auto; padding: 0 .75rem; }
  table { display: block; overflow-x: auto; width: max-content; max-width: 100%; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
  .card.narrow, .card.form-card { margin: 1rem auto; }
  form.filters label, form.bulk label { flex: 1 1 9rem; }
  .actions form { flex-wrap: wrap; }
}
/* badges (issue 15): the definition form and the analytics charts */
textarea { font: 13px/1.4 ui-monospace, Menlo, monospace; width: 100%; min-height: 9em; padding: 6px; border: 1px solid var(--line); border-radius: 4px; }
form.badge-form { display: grid; gap: 10px; max-width: 720px; }
form.badge-form label { display: grid; gap: 4px; }
.field-error { color: var(--danger); font-size: 13px; }
.chart { margin: 0 0 16px; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin-bottom: 16px; }
.chart svg { display: block; width: 100%; height: auto; }
.figures { display: flex; gap: 24px; flex-wrap: wrap; margin: 8px 0 16px; }
.figures div { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; }
.figures strong { display: block; font-size: 22px; }
`;

/** A plain gate, so browsers find an icon without asking the API root (and logging a 404). */
export const CONSOLE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d2330"/><path d="M4 13V6l4-3 4 3v7h-2V8H6v5z" fill="#fff"/></svg>`;
