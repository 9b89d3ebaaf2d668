// The application shell: header with navigation and language switch, the current view, footer.
// Moves focus to the view's heading after navigation and announces it (WCAG 2.4.3 / 4.1.3).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { lazy, Suspense } from 'preact/compat';
import { Ctx, hrefFor, type AppContext } from './context.ts';
import { currentPath, currentRoute, hrefOf, subscribe, formatRoute, type Route, type View } from './router.ts';
import { parseLang, translator } from './i18n/index.ts';
import { Link } from './components/Link.tsx';
import { Loading } from './components/States.tsx';
import { PrintInfo } from './components/PrintInfo.tsx';
import { NotFoundView } from './views/NotFound.tsx';
import { ReportsView } from './views/Reports/ReportsView.tsx';
import { EasyLanguageView, SignLanguageView } from './views/Accessible.tsx';
import { Atlas } from './views/Atlas.tsx';
import { whoAmI, signOut, isSealedOffice, type Me } from './auth.ts';
import { apiUrl, clearCache } from './api.ts';

// Views other than the atlas load on demand (keeps the initial JavaScript small).
const Profile = lazy(() => import('./views/Profile.tsx').then((m) => ({ default: m.Profile })));
const TimeSeriesView = lazy(() => import('./views/TimeSeries.tsx').then((m) => ({ default: m.TimeSeriesView })));
const Compare = lazy(() => import('./views/Compare.tsx').then((m) => ({ default: m.Compare })));
const ComparisonView = lazy(() =>
  import('./views/Comparison/Comparison.tsx').then((m) => ({ default: m.ComparisonView })),
);
const IndicatorView = lazy(() => import('./views/Indicator.tsx').then((m) => ({ default: m.IndicatorView })));
const Cockpit = lazy(() => import('./views/Cockpit.tsx').then((m) => ({ default: m.Cockpit })));
const Help = lazy(() => import('./views/Help.tsx').then((m) => ({ default: m.Help })));
const SignInView = lazy(() => import('./views/SignIn.tsx').then((m) => ({ default: m.SignInView })));
const IndexBuilder = lazy(() => import('./views/IndexBuilder.tsx').then((m) => ({ default: m.IndexBuilder })));
const TypologyView = lazy(() => import('./views/Typology.tsx').then((m) => ({ default: m.TypologyView })));
const CongruenceView = lazy(() => import('./views/Congruence.tsx').then((m) => ({ default: m.CongruenceView })));
const FacilitiesView = lazy(() => import('./views/Facilities.tsx').then((m) => ({ default: m.FacilitiesView })));
const AdminView = lazy(() => import('./views/Admin.tsx').then((m) => ({ default: m.AdminView })));
const AccountView = lazy(() => import('./views/Admin.tsx').then((m) => ({ default: m.AccountView })));
const SetupView = lazy(() => import('./views/Setup.tsx').then((m) => ({ default: m.SetupView })));
const StartView = lazy(() => import('./views/Start.tsx').then((m) => ({ default: m.StartView })));
const MeasuresView = lazy(() => import('./views/Measures.tsx').then((m) => ({ default: m.MeasuresView })));
const YouthView = lazy(() => import('./views/Youth.tsx').then((m) => ({ default: m.YouthView })));
const YouthForumStaffView = lazy(() =>
  import('./views/YouthForumStaff.tsx').then((m) => ({ default: m.YouthForumStaffView })),
);
const SealedOfficeView = lazy(() => import('./views/SealedOffice.tsx').then((m) => ({ default: m.SealedOfficeView })));

const NAV: View[] = [
  'start',
  'atlas',
  'profil',
  'zeitreihe',
  'vergleich',
  'kommunalvergleich',
  'indikator',
  'cockpit',
  'berichte',
  'index',
  'typologie',
  'kongruenz',
  'einrichtungen',
  'massnahmen',
  'jugendforum',
];
/** Expert tools: in the navigation of signed-in users only (the addresses work for everybody). */
const EXPERT_NAV: View[] = ['index', 'typologie', 'kongruenz', 'massnahmen', 'jugendforum'];
/** Shown in the navigation to administrators only (the server refuses the data to others anyway). */
const ADMIN_NAV: View[] = ['verwaltung'];
/** Shown to members of the sealed statistics office only (others who open the address see "no permission"). */
const SEALED_NAV: View[] = ['statistikstelle'];

export function App() {
  const [route, setRoute] = useState<Route>(startRoute);
  useEffect(() => subscribe(setRoute), []);
  const lang = parseLang(route.params.lang);
  // Who is signed in (servers without sign-in answer 404: then no sign-in link is shown).
  const [me, setMe] = useState<Me | null>(null);
  const [meNonce, setMeNonce] = useState(0);
  useEffect(() => {
    whoAmI(meNonce > 0).then(setMe);
  }, [meNonce]);
  const [dataVersion, setDataVersion] = useState(0);
  const refreshAuth = () => {
    setMeNonce((n) => n + 1);
    setDataVersion((n) => n + 1);
  };
  const ctx: AppContext = useMemo(
    () => ({ route, lang, t: translator(lang), href: hrefFor(lang), me: me ?? undefined, onAuthChange: refreshAuth }),
    [route, lang, me],
  );
  const { t } = ctx;
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [route]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    document.title = `${t(`view.${route.view}`)} – ${t('app.title')}`;
  }, [route.view, lang]);

  // After a change of view (not on first load, not for state changes within a view), move focus to
  // the new view's heading so that keyboard and screen-reader users land on the new content.
  const lastView = useRef<View | null>(null);
  const [announce, setAnnounce] = useState('');
  useEffect(() => {
    if (lastView.current !== null && lastView.current !== route.view) {
      setAnnounce(t('app.loadedView', { view: t(`view.${route.view}`) }));
      const focusTitle = (tries: number) => {
        const h = document.getElementById('view-title');
        if (h) h.focus({ preventScroll: false });
        else if (tries > 0) setTimeout(() => focusTitle(tries - 1), 50);
      };
      focusTitle(20);
    }
    lastView.current = route.view;
  }, [route.view]);

  const otherLang = lang === 'de' ? 'en' : 'de';
  // The youth pages have a slim shell: no planners' navigation (its words are jargon there).
  const youth = route.view === 'jugend';
  const switchHref = formatRoute({
    view: route.view,
    params: { ...route.params, lang: otherLang === 'de' ? '' : 'en' },
  });

  return (
    <Ctx.Provider value={ctx}>
      <a class="km-skip" href="#inhalt">
        {t('app.skip')}
      </a>
      <header class="km-header">
        <div class="km-header__inner">
          <Link href={ctx.href('start')} class="km-brand">
            <span class="km-brand__mark" aria-hidden="true" />
            <span class="km-brand__text">
              <span class="km-brand__name">{t('app.title')}</span>
              {!youth && <span class="km-brand__tagline">{t('app.tagline')}</span>}
            </span>
          </Link>
          <a
            class="kern-link km-lang"
            href={hrefOf(switchHref)}
            hrefLang={otherLang}
            lang={otherLang}
            aria-label={t('app.switchLanguageLabel')}
            onClick={(e) => {
              if (e.button !== 0 || e.ctrlKey || e.metaKey) return;
              e.preventDefault();
              history.pushState(null, '', hrefOf(switchHref));
              dispatchEvent(new PopStateEvent('popstate'));
            }}
          >
            <span class="kern-icon kern-icon--language" aria-hidden="true" />
            {t('app.switchLanguage')}
          </a>
          {!youth &&
            me &&
            (me.user ? (
              <span class="km-user">
                <Link
                  href={ctx.href('konto')}
                  class="kern-link km-user__link"
                  label={t('auth.accountOf', { signedIn: t('auth.signedInAs', { name: me.user.name }) })}
                >
                  {t('auth.signedInAs', { name: me.user.name })}
                </Link>
                <button
                  type="button"
                  class="kern-btn kern-btn--tertiary kern-btn--x-small"
                  onClick={async () => {
                    await signOut();
                    clearCache();
                    refreshAuth();
                  }}
                >
                  <span class="kern-label">{t('auth.signOut')}</span>
                </button>
              </span>
            ) : me.available !== false && route.view !== 'anmelden' ? (
              <Link href={ctx.href('anmelden', { next: formatRoute(route) })} class="kern-link km-signin-link">
                {t('auth.signInTitle')}
              </Link>
            ) : null)}
        </div>
        {!youth && (
          <nav class={`km-nav ${menuOpen ? 'km-nav--open' : ''}`} aria-label={t('app.nav')}>
            <button
              type="button"
              class="km-nav__toggle"
              aria-expanded={menuOpen ? 'true' : 'false'}
              aria-controls="km-nav-list"
              onClick={() => setMenuOpen((o) => !o)}
            >
              <span class="km-nav__burger" aria-hidden="true" />
              <span>{t('app.menu')}</span>
              <span class="km-nav__current">
                {NAV.includes(route.view) || ADMIN_NAV.includes(route.view) || SEALED_NAV.includes(route.view)
                  ? ` – ${t(`view.${route.view}`)}`
                  : ''}
              </span>
            </button>
            <ul id="km-nav-list">
              {[
                ...NAV.filter(
                  (v) => !EXPERT_NAV.includes(v) || !!me?.user || me?.available === false || route.view === v,
                ),
                ...(isSealedOffice(me) ? SEALED_NAV : []),
                ...(me?.user?.role === 'admin' ? ADMIN_NAV : []),
              ].map((v) => (
                <li key={v}>
                  <Link
                    href={ctx.href(v, navParams(v, route))}
                    class={`km-nav__link ${route.view === v ? 'km-nav__link--current' : ''}`}
                    current={route.view === v}
                  >
                    {t(`view.${v}`)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="inhalt" class="km-main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <div key={dataVersion}>
            {route.view === 'anmelden' ? <SignInView onChange={refreshAuth} /> : renderView(route.view)}
          </div>
        </Suspense>
        <PrintInfo />
      </main>
      <footer class="km-footer">
        {!youth && <p>{t('app.footer')}</p>}
        <p>
          <Link href={ctx.href('hilfe')}>{t('app.help')}</Link>
          {' · '}
          <Link href={ctx.href('leichte-sprache')}>
            <span lang="de">Leichte Sprache</span>
          </Link>
          {' · '}
          <Link href={ctx.href('gebaerdensprache')}>
            <span lang="de">Gebärdensprache</span>
          </Link>
          {' · '}
          <Link href={ctx.href('jugend')}>{t('view.jugend')}</Link>
          {!youth && (
            <>
              {' · '}
              <a class="kern-link" href={apiUrl('/api/openapi.json')}>
                {t('app.api')}
              </a>
            </>
          )}
        </p>
      </footer>
      <div class="kern-sr-only" role="status" aria-live="polite">
        {announce}
      </div>
    </Ctx.Provider>
  );
}

/**
 * The route of the first screen. The bare address `/` is the start page (issue #15, item 11: key
 * figures, "Mein Stadtteil", the cockpit) on every screen; an old link to the atlas at the root
 * (`/?indicator=…`) is rewritten to `/atlas?…`, so it keeps working and the address says what it shows.
 */
function startRoute(): Route {
  const r = currentRoute();
  if (r.view === 'atlas' && !currentPath().startsWith('/atlas')) {
    history.replaceState(null, '', hrefOf(r) + location.hash);
    return currentRoute();
  }
  return r;
}

/** Carries the current indicator/area over when switching views, so that context is kept. */
function navParams(v: View, r: Route): Record<string, string | undefined> {
  const p = r.params;
  switch (v) {
    case 'atlas':
      return r.view === 'indikator' || r.view === 'zeitreihe' ? { indicator: p.indicator, layer: p.layer } : {};
    case 'profil':
      return r.view === 'atlas' && p.area ? { layer: p.layer, area: p.area } : {};
    case 'zeitreihe':
    case 'indikator':
      return r.view === 'atlas' || r.view === 'indikator' || r.view === 'zeitreihe'
        ? { indicator: p.indicator, layer: p.layer }
        : {};
    default:
      return {};
  }
}

function renderView(v: View) {
  switch (v) {
    case 'start':
      return <StartView />;
    case 'atlas':
      return <Atlas />;
    case 'profil':
      return <Profile />;
    case 'zeitreihe':
      return <TimeSeriesView />;
    case 'vergleich':
      return <Compare />;
    case 'kommunalvergleich':
      return <ComparisonView />;
    case 'indikator':
      return <IndicatorView />;
    case 'cockpit':
      return <Cockpit />;
    case 'index':
      return <IndexBuilder />;
    case 'typologie':
      return <TypologyView />;
    case 'kongruenz':
      return <CongruenceView />;
    case 'einrichtungen':
      return <FacilitiesView />;
    case 'massnahmen':
      return <MeasuresView />;
    case 'jugend':
      return <YouthView />;
    case 'jugendforum':
      return <YouthForumStaffView />;
    case 'verwaltung':
      return <AdminView />;
    case 'konto':
      return <AccountView />;
    case 'statistikstelle':
      return <SealedOfficeView />;
    case 'einrichten':
      return <SetupView />;
    case 'hilfe':
      return <Help />;
    case 'nichtgefunden':
      return <NotFoundView />;
    case 'leichte-sprache':
      return <EasyLanguageView />;
    case 'gebaerdensprache':
      return <SignLanguageView />;
    case 'berichte':
      return <ReportsView />;
    default:
      return null;
  }
}
