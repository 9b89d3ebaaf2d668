// Per-installation settings of the public pages (issue #15, item 14), from the optional
// web/dist/config.json next to index.html:
//   { "site": { "contact": { "name": "…", "email": "…", "phone": "…" },
//               "leichteSprache": "Text in Leichter Sprache (Absätze durch Leerzeilen getrennt)",
//               "gebaerdensprache": { "video": "/dgs.mp4", "captions": "/dgs.vtt" } } }
// Everything is optional; the pages say what is missing.
import { withBase } from '../base.ts';

export interface SiteConfig {
  contact?: { name?: string; email?: string; phone?: string };
  leichteSprache?: string;
  gebaerdensprache?: { video?: string; captions?: string };
}

let sitePromise: Promise<SiteConfig> | null = null;
export function loadSite(): Promise<SiteConfig> {
  if (!sitePromise) {
    sitePromise = fetch(withBase('/config.json'), { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok && (r.headers.get('content-type') ?? '').includes('json') ? r.json() : null))
      .then((c: { site?: SiteConfig } | null) => (c && typeof c.site === 'object' && c.site ? c.site : {}))
      .catch(() => ({}));
  }
  return sitePromise;
}
