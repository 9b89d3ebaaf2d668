// A small start page until the monitor (web app) lands: what is served and where.
// Links are relative: the page is served at the app's mount point, "/" or "/t/{key}/" (decision 0039).
export function landingPage(): string {
  return `<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kommunalmonitor</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}a{color:#0b5394}a:focus{outline:3px solid #f5a623;outline-offset:2px}code{background:#f2f2f2;padding:0 .2em}</style>
</head>
<body>
<main>
<h1>Kommunalmonitor</h1>
<p>Die integrierte Statistikdatenbank läuft. Die Oberfläche (Monitor) folgt; bis dahin steht die Programmierschnittstelle bereit:</p>
<ul>
<li><a href="api/layers">Gliederungsebenen</a> (<code>/api/layers</code>)</li>
<li><a href="api/indicators">Indikatorenkatalog</a> (<code>/api/indicators</code>)</li>
<li><a href="api/observations?indicator=anteil_unter6&amp;layer=stadtteil">Beispiel: Anteil der Kinder unter 6 Jahren je Stadtteil</a></li>
<li><a href="api/openapi.json">OpenAPI-Beschreibung</a> (<code>/api/openapi.json</code>)</li>
</ul>
</main>
</body>
</html>`;
}
