// The web app's index.html, as the server hands it out (decision 0039). Vite builds it with a
// relative base ("./assets/…"), so the bundle works under any mount point; here the page gets
// that mount point — "/" or "/t/{key}/", from the tenant front's routing decision, never from
// the request — twice: as absolute asset addresses (a client route such as /t/a/berichte/x
// would resolve "./assets/" wrongly) and as <meta name="km-base">, from which the app builds
// every address it requests.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Mount points as the tenant front builds them; anything else is refused, not escaped around. */
const BASE_SHAPE = /^\/(?:t\/[a-z0-9]+(?:-[a-z0-9]+)*\/)?$/;

/** index.html for one mount point. */
export function indexFor(html: string, base: string): string {
  if (!BASE_SHAPE.test(base)) throw new Error(`not a mount point: ${JSON.stringify(base)}`);
  // Only attribute values that begin with ./ (Vite's relative base): absolute and external
  // addresses stay as they are.
  const rebased = html.replace(/(\s(?:src|href)=")\.\//g, `$1${base}`);
  const meta = `<meta name="km-base" content="${base}" />`;
  const head = /<head(?:\s[^>]*)?>/i.exec(rebased);
  if (head)
    return rebased.slice(0, head.index + head[0].length) + `\n    ${meta}` + rebased.slice(head.index + head[0].length);
  // No <head> (a hand-written page): after the doctype, so that the page stays in standards mode.
  const doctype = /^\s*<!doctype[^>]*>/i.exec(rebased);
  return doctype ? doctype[0] + meta + rebased.slice(doctype[0].length) : meta + rebased;
}

/** Reads web/dist/index.html again when the build changed (new builds are served without a restart). */
export function indexPages(webRoot: string): (base: string) => Promise<string> {
  const file = join(webRoot, 'index.html');
  let cached: { mtimeMs: number; size: number; html: string; pages: Map<string, string> } | undefined;
  return async (base) => {
    const s = await stat(file);
    if (!cached || cached.mtimeMs !== s.mtimeMs || cached.size !== s.size)
      cached = { mtimeMs: s.mtimeMs, size: s.size, html: await readFile(file, 'utf8'), pages: new Map() };
    let page = cached.pages.get(base);
    if (page === undefined) {
      page = indexFor(cached.html, base);
      // One app serves one mount point (or "/" and one prefix): the map stays tiny.
      if (cached.pages.size < 16) cached.pages.set(base, page);
    }
    return page;
  };
}
