// What every view needs: the current route, language, translation and link building.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Route, View } from './router.ts';
import { formatRoute } from './router.ts';
import type { Lang } from '../../src/contracts/format.ts';
import type { Translate } from './i18n/index.ts';
import type { Me } from './auth.ts';

export interface AppContext {
  route: Route;
  lang: Lang;
  t: Translate;
  /** A link to a view with parameters, keeping the language. */
  href: (view: View, params?: Record<string, string | number | null | undefined>) => string;
  /** Who is signed in: undefined while asking the server; `user: null` when nobody is (`available: false`: the server has no sign-in). */
  me?: Me | null;
  /** After signing in or out: ask the server again and reload the data. */
  onAuthChange?: () => void;
}

export const Ctx = createContext<AppContext>(null as unknown as AppContext);
export const useApp = (): AppContext => useContext(Ctx);

export function hrefFor(lang: Lang) {
  return (view: View, params: Record<string, string | number | null | undefined> = {}): string => {
    const p: Record<string, string> = {};
    if (lang !== 'de') p.lang = lang;
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') p[k] = String(v);
    return formatRoute({ view, params: p });
  };
}
