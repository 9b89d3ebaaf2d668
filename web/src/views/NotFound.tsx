// "Seite nicht gefunden": an address that is no view of the monitor (issue #15, item 12) says so,
// instead of showing the atlas as if the address were right, and offers the main views.
import { useApp } from '../context.ts';
import { Link } from '../components/Link.tsx';

export function NotFoundView() {
  const { t, href } = useApp();
  return (
    <section class="km-view km-notfound" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('view.nichtgefunden')}
      </h1>
      <p>{t('notFound.text', { path: location.pathname })}</p>
      <ul class="km-notfound__links">
        <li>
          <Link href={href('profil')}>{t('view.profil')}</Link>
        </li>
        <li>
          <Link href={href('atlas')}>{t('view.atlas')}</Link>
        </li>
        <li>
          <Link href={href('cockpit')}>{t('view.cockpit')}</Link>
        </li>
        <li>
          <Link href={href('hilfe')}>{t('view.hilfe')}</Link>
        </li>
      </ul>
    </section>
  );
}
