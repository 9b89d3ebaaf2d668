// Help: how to use the views, keyboard use and the accessibility statement (short form; the full
// text is in docs/monitor.md).
import { useApp } from '../context.ts';
import { Link } from '../components/Link.tsx';

export function Help() {
  const { t, lang, href } = useApp();
  const de = lang === 'de';
  return (
    <section class="km-view km-prose" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('help.title')}
      </h1>
      <h2 class="kern-heading-medium">{de ? 'Ansichten' : 'Views'}</h2>
      <ul>
        <li>
          <Link href={href('atlas')}>{t('view.atlas')}</Link>: {de ? 'ein Indikator für alle Gebiete einer Ebene als Karte und Tabelle; CSV- und Excel-Download.' : 'one indicator for all areas of a layer as a map and a table; CSV and Excel download.'}
        </li>
        <li>
          <Link href={href('profil')}>{t('view.profil')}</Link>: {de ? 'alle Indikatoren eines Gebiets mit Gesamtstadt, übergeordnetem Gebiet, Rang und Trend.' : 'every indicator of one area with the city value, parent value, rank and trend.'}
        </li>
        <li>
          <Link href={href('zeitreihe')}>{t('view.zeitreihe')}</Link>: {de ? 'ein Indikator für mehrere Gebiete über die Zeit; Wechsel des Gebietsstands sind markiert.' : 'one indicator for several areas over time; boundary changes are marked.'}
        </li>
        <li>
          <Link href={href('vergleich')}>{t('view.vergleich')}</Link>: {de ? 'zwei oder mehr Gebiete nebeneinander.' : 'two or more areas side by side.'}
        </li>
        <li>
          <Link href={href('indikator')}>{t('view.indikator')}</Link>: {de ? 'Definition, Quelle, Methodik und Verteilung eines Indikators.' : 'definition, source, methodology and distribution of an indicator.'}
        </li>
        <li>
          <Link href={href('cockpit')}>{t('view.cockpit')}</Link>: {de ? 'Kennzahlen, kleine Karten und Warnanzeigen auf einen Blick.' : 'key figures, small maps and warning gauges at a glance.'}
        </li>
        <li>
          <Link href={href('index')}>{t('view.index')}</Link>: {de ? 'Indikatoren zu einem Index je Gebiet zusammenfassen (z. B. Statusindex), mit Vorschau als Karte, Verteilung und Tabelle, Robustheitsprüfung und der Zusammensetzung jedes Indexwerts.' : 'combine indicators into an index per area (e.g. a status index), previewed as a map, a distribution and a table, with a robustness check and the breakdown of every score.'}
        </li>
        <li>
          <Link href={href('kongruenz')}>{t('view.kongruenz')}</Link>: {de ? 'wie gut zwei Gliederungen (oder zwei Gebietsstände) zusammenpassen.' : 'how well two layers (or two boundary versions) match.'}
        </li>
        <li>
          <Link href={href('konto')}>{t('view.konto')}</Link>: {de ? 'eigenes Passwort ändern und API-Tokens verwalten (angemeldet). Administratorinnen und Administratoren finden unter „Verwaltung“ außerdem Protokoll, Benutzer und Fachbereiche.' : 'change your password and manage your API tokens (signed in). Administrators also find the audit trail, users and departments under “Administration”.'}
        </li>
      </ul>
      <h2 class="kern-heading-medium">{de ? 'Links zu Ansichten' : 'Permalinks'}</h2>
      <p>{de ? 'Jede Ansicht steht vollständig in der Adresse (URL). Kopieren Sie die Adresse, um genau diese Ansicht weiterzugeben; die Zurück-Taste des Browsers funktioniert.' : 'Every view is fully described by its address (URL). Copy the address to share exactly this view; the browser’s back button works.'}</p>
      <h2 class="kern-heading-medium">{de ? 'Bedienung mit der Tastatur' : 'Keyboard use'}</h2>
      <ul>
        <li>{de ? 'Tab und Umschalt+Tab wechseln zwischen Bedienelementen; „Zum Inhalt springen“ ist das erste Element.' : 'Tab and Shift+Tab move between controls; “Skip to content” is the first element.'}</li>
        <li>
          {de ? 'Karte: ' : 'Map: '}
          <kbd>←</kbd> <kbd>→</kbd> <kbd>↑</kbd> <kbd>↓</kbd> {de ? 'von Gebiet zu Gebiet,' : 'from area to area,'} <kbd>Enter</kbd> {de ? 'öffnet das Gebietsprofil,' : 'opens the area profile,'} <kbd>+</kbd> <kbd>−</kbd> {de ? 'zoomen,' : 'zoom,'} <kbd>0</kbd> {de ? 'setzt den Kartenausschnitt zurück.' : 'resets the map view.'}
        </li>
        <li>{de ? 'Jede Karte und jedes Diagramm hat eine Tabelle mit denselben Werten.' : 'Every map and chart has a table with the same values.'}</li>
      </ul>
      <h2 class="kern-heading-medium">{t('status.legend')}</h2>
      <dl class="km-dl">
        <dt>.</dt>
        <dd>{t('status.suppressed')}</dd>
        <dt>/</dt>
        <dd>{t('status.below_min_base')}</dd>
        <dt>…</dt>
        <dd>{t('status.missing')}</dd>
        <dt>p</dt>
        <dd>{t('status.provisional')}</dd>
        <dt>s</dt>
        <dd>{t('status.estimated')}</dd>
      </dl>
      <h2 class="kern-heading-medium">{de ? 'Erklärung zur Barrierefreiheit' : 'Accessibility statement'}</h2>
      <p>{de ? 'Der Kommunalmonitor soll die Anforderungen der BITV 2.0 bzw. der WCAG 2.1 auf Stufe AA erfüllen. Er wird automatisch (axe-core) und manuell mit Tastatur geprüft. Bekannte Einschränkungen und der Kontakt für Rückmeldungen stehen in der Erklärung zur Barrierefreiheit der Stadtverwaltung.' : 'Kommunalmonitor aims to meet BITV 2.0 / WCAG 2.1 level AA. It is tested automatically (axe-core) and by hand with the keyboard. Known limitations and the feedback contact are given in the accessibility statement of the city administration.'}</p>
    </section>
  );
}
