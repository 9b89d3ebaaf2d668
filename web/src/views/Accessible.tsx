// "Leichte Sprache" and "Gebärdensprache": the pages BITV 2.0 (§ 4) asks public bodies' sites for —
// what the site offers and how to use it, in easy German and in German Sign Language (issue #15,
// item 14). The built-in Leichte-Sprache text can be replaced per installation (config.json,
// site.leichteSprache); the sign-language video comes from the installation (site.gebaerdensprache).
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { Link } from '../components/Link.tsx';
import { loadSite, type SiteConfig } from '../lib/site.ts';

export function useSite(): SiteConfig | null {
  const [site, setSite] = useState<SiteConfig | null>(null);
  useEffect(() => {
    let live = true;
    loadSite().then((s) => live && setSite(s));
    return () => {
      live = false;
    };
  }, []);
  return site;
}

const EASY = [
  'Auf dieser Internet-Seite finden Sie Zahlen über unsere Stadt.',
  'Zum Beispiel: Wie viele Menschen wohnen in einem Stadtteil? Wie viele Kinder sind arm? Wie viele Kinder gehen in eine Kita?',
  'Die Stadt ist in Teile eingeteilt. Die Teile heißen Stadtteile. Für jeden Stadtteil gibt es eine Seite. Die Seite heißt: Gebiets-Profil.',
  'So finden Sie Ihren Stadtteil: Schreiben Sie den Namen in das Feld „Gebiet suchen“. Dann tippen Sie auf den Namen.',
  'Oben auf der Seite steht „Das Wichtigste in Kürze“. Dort steht zum Beispiel: Ist eine Zahl höher als in der ganzen Stadt? Ist die Zahl gestiegen oder gesunken?',
  'Rot heißt: Das ist nicht so gut. Blau heißt: Das ist gut.',
  'Manchmal steht dort ein Punkt oder ein Schräg-Strich statt einer Zahl. Dann darf die Zahl nicht gezeigt werden. Oder es gibt zu wenige Menschen für eine sichere Zahl.',
  'Der Buchstabe p heißt: Die Zahl ist noch nicht ganz sicher. Der Buchstabe s heißt: Die Zahl ist geschätzt.',
  'Sie haben eine Frage? Oder etwas funktioniert nicht? Dann schreiben Sie uns. Die Adresse steht auf der Seite „Hilfe“.',
];

export function EasyLanguageView() {
  const { href } = useApp();
  const site = useSite();
  const custom = site?.leichteSprache
    ?.split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  return (
    <section class="km-view km-prose km-easy" aria-labelledby="view-title" lang="de">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        Leichte Sprache
      </h1>
      {(custom?.length ? custom : EASY).map((p) => (
        <p key={p}>{p}</p>
      ))}
      <p>
        <Link href={href('profil')}>Zum Gebiets-Profil</Link>
      </p>
      <p>
        <Link href={href('hilfe')}>Zur Hilfe</Link>
      </p>
    </section>
  );
}

export function SignLanguageView() {
  const { href } = useApp();
  const site = useSite();
  const video = site?.gebaerdensprache?.video;
  return (
    <section class="km-view km-prose" aria-labelledby="view-title" lang="de">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        Informationen in Deutscher Gebärdensprache (DGS)
      </h1>
      {video ? (
        <video class="km-dgs" controls preload="metadata" src={video}>
          {site?.gebaerdensprache?.captions && (
            <track kind="captions" srclang="de" label="Deutsch" src={site.gebaerdensprache.captions} default />
          )}
        </video>
      ) : site ? (
        <p>
          Das Video in Deutscher Gebärdensprache wird von der Stadtverwaltung bereitgestellt und ist hier noch nicht
          eingestellt.
        </p>
      ) : null}
      <p>
        Das Video erklärt, welche Zahlen der Kommunalmonitor zeigt, wie Sie Ihren Stadtteil finden und wie Sie uns
        erreichen.
      </p>
      <p>
        <Link href={href('leichte-sprache')}>Leichte Sprache</Link> ·{' '}
        <Link href={href('hilfe')}>Hilfe und Kontakt</Link>
      </p>
    </section>
  );
}
