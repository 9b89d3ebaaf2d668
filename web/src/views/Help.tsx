// Help: every view, keyboard use, the symbols and terms (glossary), feedback contact (from the
// installation's config.json), links to Leichte Sprache and sign language, and the accessibility
// statement (short form; the full text is in docs/monitor.md).
import { Fragment } from 'preact';
import { useApp } from '../context.ts';
import { Link } from '../components/Link.tsx';
import { useSite } from './Accessible.tsx';

/** The terms a reader of the figures meets, in German and English. */
const GLOSSARY: [string, string, string][] = [
  [
    'Basis',
    'Die Zahl, auf die sich ein Anteil bezieht (z. B. alle Kinder unter 15 Jahren bei der Kinderarmut). Eine kleine Basis macht einen Anteil unsicher.',
    'The number a share refers to (e.g. all children under 15 for child poverty). A small base makes a share unreliable.',
  ],
  [
    'Mindestbasis ( / )',
    'Liegt die Basis darunter, wird der Wert nicht gezeigt, sondern „/“: er wäre nicht sicher genug oder ließe Rückschlüsse auf Einzelne zu.',
    'Below it a value is not shown but “/”: it would not be reliable enough or could identify individuals.',
  ],
  [
    'geheim ( . )',
    'Der Wert wird aus Gründen des Datenschutzes nicht veröffentlicht.',
    'The value is withheld to protect confidentiality.',
  ],
  [
    'keine Angabe ( … )',
    'Für dieses Gebiet und diesen Zeitraum liegt kein Wert vor.',
    'There is no value for this area and period.',
  ],
  ['vorläufig ( p )', 'Der Wert kann sich noch ändern.', 'The value may still change.'],
  [
    'geschätzt ( s )',
    'Der Wert ist geschätzt, z. B. von einem alten auf einen neuen Gebietsstand umgerechnet; die Methode steht beim Wert.',
    'The value is an estimate, e.g. carried from an old to a new boundary version; the method is given with it.',
  ],
  ['Gesamtstadt', 'Der Wert der ganzen Stadt zum Vergleich.', 'The value of the whole city, for comparison.'],
  [
    'Stichtag',
    'Der Tag, auf den sich ein Wert bezieht (z. B. 31.12.2024).',
    'The day a value refers to (e.g. 31.12.2024).',
  ],
  [
    'Gebietsstand',
    'Die Grenzen der Gebiete ab einem Datum. Ändern sie sich (z. B. 24 → 38 Stadtteile 2021), sind Werte davor und danach nicht direkt vergleichbar.',
    'The boundaries of the areas from a date. When they change (e.g. 24 → 38 Stadtteile in 2021), values before and after are not directly comparable.',
  ],
  [
    'Rang',
    '1 ist der höchste Wert unter den Gebieten der Ebene.',
    '1 is the highest value among the areas of the layer.',
  ],
  [
    'Prozentpunkte',
    'Der Abstand zweier Prozentwerte: von 5 % auf 6 % sind es +1 Prozentpunkt (nicht +1 %).',
    'The difference of two percentages: from 5 % to 6 % is +1 percentage point (not +1 %).',
  ],
  [
    'günstig / ungünstig',
    'Ob ein höherer Wert besser oder schlechter ist, hängt vom Indikator ab (z. B. Kinderarmut: höher ist schlechter). Rot heißt ungünstiger, Blau günstiger als die Gesamtstadt.',
    'Whether a higher value is better or worse depends on the indicator (e.g. child poverty: higher is worse). Red means less, blue more favourable than the city.',
  ],
];

function Contact() {
  const { lang } = useApp();
  const site = useSite();
  const c = site?.contact;
  if (!site) return null;
  if (!c || (!c.email && !c.phone && !c.name))
    return (
      <p>
        {lang === 'de'
          ? 'Die Kontaktstelle für Rückmeldungen (auch zu Barrieren) trägt die betreibende Verwaltung hier ein.'
          : 'The operating administration enters the contact for feedback (also on barriers) here.'}
      </p>
    );
  return (
    <p class="km-contact">
      {c.name && (
        <>
          {c.name}
          <br />
        </>
      )}
      {c.email && (
        <>
          <a class="kern-link" href={`mailto:${c.email}`}>
            {c.email}
          </a>
          <br />
        </>
      )}
      {c.phone && (
        <a class="kern-link" href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>
          {c.phone}
        </a>
      )}
    </p>
  );
}

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
          <Link href={href('start')}>{t('view.start')}</Link>:{' '}
          {de
            ? '„Mein Stadtteil“ (Suche nach Gebiet oder Straße), die Kennzahlen der Gesamtstadt und alle Indikatoren nach Themen.'
            : '“My Stadtteil” (search by area or street), the key figures of the whole city and every indicator by theme.'}
        </li>
        <li>
          <Link href={href('atlas')}>{t('view.atlas')}</Link>:{' '}
          {de
            ? 'ein Indikator für alle Gebiete einer Ebene als Karte und Tabelle; CSV- und Excel-Download.'
            : 'one indicator for all areas of a layer as a map and a table; CSV and Excel download.'}
        </li>
        <li>
          <Link href={href('profil')}>{t('view.profil')}</Link>:{' '}
          {de
            ? 'alle Indikatoren eines Gebiets mit Gesamtstadt, übergeordnetem Gebiet, Rang und Trend.'
            : 'every indicator of one area with the city value, parent value, rank and trend.'}
        </li>
        <li>
          <Link href={href('zeitreihe')}>{t('view.zeitreihe')}</Link>:{' '}
          {de
            ? 'ein Indikator für mehrere Gebiete über die Zeit; Wechsel des Gebietsstands sind markiert.'
            : 'one indicator for several areas over time; boundary changes are marked.'}
        </li>
        <li>
          <Link href={href('vergleich')}>{t('view.vergleich')}</Link>:{' '}
          {de ? 'zwei oder mehr Gebiete nebeneinander.' : 'two or more areas side by side.'}
        </li>
        <li>
          <Link href={href('indikator')}>{t('view.indikator')}</Link>:{' '}
          {de
            ? 'Definition, Quelle, Methodik und Verteilung eines Indikators.'
            : 'definition, source, methodology and distribution of an indicator.'}
        </li>
        <li>
          <Link href={href('cockpit')}>{t('view.cockpit')}</Link>:{' '}
          {de
            ? 'Kennzahlen, kleine Karten und Warnanzeigen auf einen Blick.'
            : 'key figures, small maps and warning gauges at a glance.'}
        </li>
        <li>
          <Link href={href('index')}>{t('view.index')}</Link>:{' '}
          {de
            ? 'Indikatoren zu einem Index je Gebiet zusammenfassen (z. B. Statusindex), mit Vorschau als Karte, Verteilung und Tabelle, Robustheitsprüfung und der Zusammensetzung jedes Indexwerts.'
            : 'combine indicators into an index per area (e.g. a status index), previewed as a map, a distribution and a table, with a robustness check and the breakdown of every score.'}
        </li>
        <li>
          <Link href={href('kongruenz')}>{t('view.kongruenz')}</Link>:{' '}
          {de
            ? 'wie gut zwei Gliederungen (oder zwei Gebietsstände) zusammenpassen.'
            : 'how well two layers (or two boundary versions) match.'}
        </li>
        <li>
          <Link href={href('typologie')}>{t('view.typologie')}</Link>:{' '}
          {de
            ? 'Gebiete mit ähnlicher Lage zu Typen zusammenfassen (Clusteranalyse), mit Karte, Profilen der Typen und Vergleich zweier Typisierungen.'
            : 'group areas that are alike into types (cluster analysis), with a map, type profiles and a comparison of two typologies.'}
        </li>
        <li>
          <Link href={href('einrichtungen')}>{t('view.einrichtungen')}</Link>:{' '}
          {de
            ? 'Einrichtungen (z. B. Kitas) auf der Karte, Plätze neben dem Bedarf je Gebiet.'
            : 'facilities (e.g. day-care centres) on the map, places next to need per area.'}
        </li>
        <li>
          <Link href={href('jugend')}>{t('view.jugend')}</Link>:{' '}
          {de
            ? 'Themen junger Leute je Stadtteil mit den verbindlichen Antworten der Verwaltung; unterstützen mit einem Code, Themen vorschlagen – ohne Konto, in einfacher Sprache. Für die Verwaltung: '
            : 'young people’s topics per Stadtteil with the administration’s binding answers; support with a code, suggest topics – no account, in plain language. For staff: '}
          <Link href={href('jugendforum')}>{t('view.jugendforum')}</Link>
          {de
            ? ' (Moderation, Antworten, Codes, Rechenschaft; angemeldet).'
            : ' (moderation, answers, codes, accountability; signed in).'}
        </li>
        <li>
          <Link href={href('konto')}>{t('view.konto')}</Link>:{' '}
          {de
            ? 'eigenes Passwort ändern und API-Tokens verwalten (angemeldet). Administratorinnen und Administratoren finden unter „Verwaltung“ außerdem Protokoll, Benutzer und Fachbereiche.'
            : 'change your password and manage your API tokens (signed in). Administrators also find the audit trail, users and departments under “Administration”.'}
        </li>
      </ul>
      <h2 class="kern-heading-medium">{de ? 'Links zu Ansichten' : 'Permalinks'}</h2>
      <p>
        {de
          ? 'Jede Ansicht steht vollständig in der Adresse (URL). Kopieren Sie die Adresse, um genau diese Ansicht weiterzugeben; die Zurück-Taste des Browsers funktioniert.'
          : 'Every view is fully described by its address (URL). Copy the address to share exactly this view; the browser’s back button works.'}
      </p>
      <h2 class="kern-heading-medium">{de ? 'Bedienung mit der Tastatur' : 'Keyboard use'}</h2>
      <ul>
        <li>
          {de
            ? 'Tab und Umschalt+Tab wechseln zwischen Bedienelementen; „Zum Inhalt springen“ ist das erste Element.'
            : 'Tab and Shift+Tab move between controls; “Skip to content” is the first element.'}
        </li>
        <li>
          {de ? 'Karte: ' : 'Map: '}
          <kbd>←</kbd> <kbd>→</kbd> <kbd>↑</kbd> <kbd>↓</kbd> {de ? 'von Gebiet zu Gebiet,' : 'from area to area,'}{' '}
          <kbd>Enter</kbd> {de ? 'öffnet das Gebietsprofil,' : 'opens the area profile,'} <kbd>+</kbd> <kbd>−</kbd>{' '}
          {de ? 'zoomen,' : 'zoom,'} <kbd>0</kbd> {de ? 'setzt den Kartenausschnitt zurück.' : 'resets the map view.'}
        </li>
        <li>
          {de
            ? 'Jede Karte und jedes Diagramm hat eine Tabelle mit denselben Werten.'
            : 'Every map and chart has a table with the same values.'}
        </li>
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
      <h2 class="kern-heading-medium" id="begriffe">
        {de ? 'Begriffe' : 'Terms'}
      </h2>
      <dl class="km-dl km-glossary">
        {GLOSSARY.map(([term, de_, en_]) => (
          <Fragment key={term}>
            <dt>{term}</dt>
            <dd>{de ? de_ : en_}</dd>
          </Fragment>
        ))}
      </dl>
      <h2 class="kern-heading-medium" id="kontakt">
        {de ? 'Rückmeldung und Kontakt' : 'Feedback and contact'}
      </h2>
      <Contact />
      <p>
        <Link href={href('leichte-sprache')}>
          <span lang="de">Leichte Sprache</span>
        </Link>{' '}
        ·{' '}
        <Link href={href('gebaerdensprache')}>
          {de ? 'Informationen in Deutscher Gebärdensprache' : 'Information in German Sign Language'}
        </Link>
      </p>
      <h2 class="kern-heading-medium">{de ? 'Erklärung zur Barrierefreiheit' : 'Accessibility statement'}</h2>
      <p>
        {de
          ? 'Der Kommunalmonitor soll die Anforderungen der BITV 2.0 bzw. der WCAG 2.1 auf Stufe AA erfüllen. Er wird automatisch (axe-core) und manuell mit Tastatur geprüft. Bekannte Einschränkungen und der Kontakt für Rückmeldungen stehen in der Erklärung zur Barrierefreiheit der Stadtverwaltung.'
          : 'Kommunalmonitor aims to meet BITV 2.0 / WCAG 2.1 level AA. It is tested automatically (axe-core) and by hand with the keyboard. Known limitations and the feedback contact are given in the accessibility statement of the city administration.'}
      </p>
    </section>
  );
}
