/**
 * The shell's HTML and CSS: a small page that frames the surfaces the way Jira lays them out. Colours come
 * from Atlaskit's design tokens (served at /__forge/tokens.css), so the light and dark themes match Jira's.
 */
export const SHELL_HTML = `<!doctype html>
<html lang="en" data-theme="dark:dark light:light spacing:spacing typography:typography shape:shape" data-color-mode="light">
<head>
<meta charset="utf-8">
<title>Jira (local) · Business Destination</title>
<link rel="stylesheet" href="/__forge/tokens.css">
<style>
  * { box-sizing: border-box; }
  html, body { margin: 0; }
  body {
    font: 14px/20px -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
    color: var(--ds-text, #172b4d);
    background: var(--ds-surface, #fff);
  }
  a { color: var(--ds-link, #0c66e4); }
  .topbar {
    height: 56px; display: flex; align-items: center; gap: 8px; padding: 0 12px;
    background: var(--ds-surface, #fff); border-bottom: 1px solid var(--ds-border, #091e4224);
    position: sticky; top: 0; z-index: 10;
  }
  .logo { display: flex; align-items: center; gap: 8px; font-weight: 600; font-size: 16px; color: var(--ds-text, #172b4d); text-decoration: none; margin-right: 12px; }
  .logo-mark { width: 24px; height: 24px; border-radius: 4px; background: var(--ds-background-brand-bold, #0c66e4); }
  .nav-item {
    border: 0; background: transparent; color: var(--ds-text-subtle, #44546f); font: inherit; font-weight: 500;
    padding: 6px 8px; border-radius: 3px; cursor: pointer; text-decoration: none;
  }
  .nav-item:hover { background: var(--ds-background-neutral-subtle-hovered, #091e420f); }
  .nav-item[aria-current="page"] { color: var(--ds-text-selected, #0c66e4); box-shadow: inset 0 -3px 0 var(--ds-border-selected, #0c66e4); border-radius: 0; }
  .spacer { flex: 1; }
  select, .button {
    font: inherit; color: var(--ds-text, #172b4d); background: var(--ds-background-neutral, #091e420f);
    border: 1px solid var(--ds-border-input, #8590a2); border-radius: 3px; padding: 4px 8px;
  }
  .button { cursor: pointer; border-color: transparent; }
  .button.primary { background: var(--ds-background-brand-bold, #0c66e4); color: var(--ds-text-inverse, #fff); }
  label.inline { display: flex; align-items: center; gap: 6px; color: var(--ds-text-subtle, #44546f); font-size: 12px; }
  main { padding: 24px 32px; }
  .breadcrumbs { color: var(--ds-text-subtlest, #626f86); font-size: 14px; margin-bottom: 8px; }
  h1 { font-size: 24px; line-height: 28px; font-weight: 500; margin: 0 0 16px; color: var(--ds-text, #172b4d); }
  h2 { font-size: 14px; font-weight: 600; margin: 0 0 8px; color: var(--ds-text-subtle, #44546f); }
  .issue { display: grid; grid-template-columns: minmax(0, 1fr) 420px; gap: 32px; }
  .panel { border-top: 1px solid var(--ds-border, #091e4224); padding-top: 16px; margin-top: 24px; }
  .panel-title { display: flex; align-items: center; gap: 8px; font-weight: 600; margin-bottom: 8px; }
  .details { border: 1px solid var(--ds-border, #091e4224); border-radius: 3px; }
  .details h2 { padding: 12px 16px; margin: 0; border-bottom: 1px solid var(--ds-border, #091e4224); }
  .field { display: grid; grid-template-columns: 120px minmax(0, 1fr); gap: 8px; padding: 8px 16px; align-items: start; }
  .field-label { color: var(--ds-text-subtle, #44546f); font-weight: 600; font-size: 12px; padding-top: 4px; }
  .field-value { padding: 4px 6px; border-radius: 3px; min-height: 28px; }
  .field-value.editable { cursor: pointer; }
  .field-value.editing { padding: 0; }
  .field-value.editable:hover { background: var(--ds-background-neutral-subtle-hovered, #091e420f); }
  .none { color: var(--ds-text-subtlest, #626f86); }
  .lozenge { display: inline-block; padding: 0 4px; border-radius: 3px; font-size: 11px; font-weight: 700; text-transform: uppercase;
    background: var(--ds-background-neutral, #091e420f); color: var(--ds-text-subtle, #44546f); }
  .lozenge.indeterminate { background: var(--ds-background-information, #e9f2ff); color: var(--ds-text-information, #0055cc); }
  .lozenge.done { background: var(--ds-background-success, #dcfff1); color: var(--ds-text-success, #216e4e); }
  iframe.surface { display: block; width: 100%; border: 0; min-height: 32px; background: transparent; color-scheme: normal; }
  iframe.surface.page { min-height: 400px; }
  .layout-admin { display: grid; grid-template-columns: 220px minmax(0, 1fr); gap: 24px; }
  .sidebar a { display: block; padding: 6px 8px; border-radius: 3px; color: var(--ds-text-subtle, #44546f); text-decoration: none; }
  .sidebar a.selected { background: var(--ds-background-selected, #e9f2ff); color: var(--ds-text-selected, #0c66e4); }
  .sidebar .group { font-size: 11px; font-weight: 700; text-transform: uppercase; color: var(--ds-text-subtlest, #626f86); padding: 12px 8px 4px; }
  .error { padding: 12px 16px; border-radius: 3px; background: var(--ds-background-danger, #ffeceb); color: var(--ds-text-danger, #ae2e24); }
  #flags { position: fixed; left: 24px; bottom: 24px; display: flex; flex-direction: column; gap: 8px; z-index: 20; }
  .flag { width: 360px; padding: 16px; border-radius: 3px; background: var(--ds-surface-overlay, #fff);
    box-shadow: var(--ds-shadow-overlay, 0 8px 12px #091e4226); color: var(--ds-text, #172b4d); }
  .flag strong { display: block; margin-bottom: 4px; }
  table.results { border-collapse: collapse; width: 100%; margin-top: 8px; }
  table.results th, table.results td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--ds-border, #091e4224); }
  table.results th { color: var(--ds-text-subtle, #44546f); font-size: 12px; }
  #epic-picker { font: inherit; padding: 4px 8px; width: 200px; }
  input { color: var(--ds-text, #172b4d); background: var(--ds-background-input, #fff); border: 1px solid var(--ds-border-input, #8590a2); border-radius: 3px; }
  .dashboard { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 16px; align-items: start; }
  .gadget { border: 1px solid var(--ds-border, #091e4224); border-radius: 3px; background: var(--ds-surface, #fff); }
  .gadget-header { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 8px 12px; border-bottom: 1px solid var(--ds-border, #091e4224); }
  .gadget-header h2 { margin: 0; color: var(--ds-text, #172b4d); }
  .muted { color: var(--ds-text-subtlest, #626f86); font-size: 12px; }
</style>
</head>
<body>
<header class="topbar">
  <a class="logo" href="#/portfolio"><span class="logo-mark"></span>Jira</a>
  <a class="nav-item" data-nav="issue" href="#/issue">Issues</a>
  <input id="epic-picker" type="search" list="epic-options" aria-label="Epic" placeholder="Find an epic" autocomplete="off">
  <datalist id="epic-options"></datalist>
  <a class="nav-item" data-nav="portfolio" href="#/portfolio">Apps: Business destinations</a>
  <a class="nav-item" data-nav="dashboard" href="#/dashboard">Dashboards</a>
  <a class="nav-item" data-nav="admin" href="#/admin">Settings: Apps</a>
  <button class="button" id="create" type="button">Create</button>
  <span class="spacer"></span>
  <label class="inline">Theme <select id="theme-picker" aria-label="Theme"><option value="light">Light</option><option value="dark">Dark</option></select></label>
  <label class="inline">User <select id="user-picker" aria-label="User"></select></label>
</header>
<main id="main"></main>
<div id="flags" aria-live="polite"></div>
<script src="/__shell/shell.js"></script>
</body>
</html>
`;
