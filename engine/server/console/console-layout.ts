import type { ConsoleSection } from './console-page';
import type { ConsoleSession } from './console-sessions';
import { html, type SafeHtml } from './html';

const SECTIONS: { section: ConsoleSection; href: string; label: string }[] = [
  { section: 'overview', href: '/', label: 'Overview' },
  { section: 'segments', href: '/segments', label: 'Segments' },
  { section: 'sources', href: '/sources', label: 'Sources' },
  { section: 'destinations', href: '/destinations', label: 'Destinations' },
  { section: 'profiles', href: '/profiles', label: 'Profiles' },
];

/** The document around every signed-in page: navigation, the sandbox, the permission, sign out. */
export function consoleLayout(options: {
  title: string;
  sandbox: string;
  section: ConsoleSection;
  session: ConsoleSession;
  body: SafeHtml;
}): SafeHtml {
  const nav = SECTIONS.map(
    (s) => html`<a href="${s.href}"${s.section === options.section ? html` aria-current="page"` : ''}>${s.label}</a>`,
  );
  return documentShell(
    `${options.title} · ${options.sandbox}`,
    html`<header class="bar">
  <span class="brand">Roster</span><span class="sandbox" title="sandbox">${options.sandbox}</span>
  <nav>${nav}</nav>
  <span class="who">${options.session.permission === 'write' ? 'read and write' : 'read-only'}</span>
  <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${options.session.csrf}"><button type="submit">Sign out</button></form>
</header>
<main>
<h1>${options.title}</h1>
${options.body}
</main>`,
  );
}

/** The HTML document with the console's stylesheet and scripts (all served by the console itself). */
export function documentShell(title: string, body: SafeHtml): SafeHtml {
  return html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/console/assets/uPlot.min.css">
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/uPlot.iife.min.js" defer></script>
<script src="/console/assets/console.js" defer></script>
</head>
<body>
${body}
</body>
</html>`;
}
