// Where the app is mounted: "/" for one municipality or a tenant under its own host name,
// "/t/{key}/" under the path prefix (docs/tenants.md). The server names it in index.html
// (<meta name="km-base">); every address the app builds — API calls, downloads, links, the
// history — goes through withBase, while routes and `next=` values stay relative to the mount
// (so a sign-in can never be sent on to another tenant).

/** A mount point the server can name: "/" or "/t/{key}/" (anything else is ignored). */
const BASE_SHAPE = /^\/(?:t\/[a-z0-9]+(?:-[a-z0-9]+)*\/)?$/;

export function readBase(content: string | null | undefined): string {
  return content && BASE_SHAPE.test(content) ? content : '/';
}

export const BASE: string = readBase(
  typeof document === 'undefined' ? undefined : document.querySelector('meta[name="km-base"]')?.getAttribute('content'),
);

/** An address of this app ("/api/…", "/atlas?…") as the browser must request it. */
export function withBase(path: string, base: string = BASE): string {
  if (base === '/' || !path.startsWith('/') || path.startsWith('//')) return path;
  return base + path.slice(1);
}

/** A browser path without the mount point ("/t/a/atlas" → "/atlas"); other paths as they are. */
export function stripBase(pathname: string, base: string = BASE): string {
  if (base === '/') return pathname;
  if (pathname === base.slice(0, -1)) return '/';
  return pathname.startsWith(base) ? pathname.slice(base.length - 1) : pathname;
}
