// Sign-in with user name and password (session cookie); afterwards the previous view is shown
// again, now with the internal data the user may read.
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate } from '../router.ts';
import { signIn } from '../auth.ts';
import { apiUrl, clearCache, useApi, apiPath } from '../api.ts';
import { TextField, Button } from '../components/Fields.tsx';
import { serverText, type ServerError } from '../lib/servertext.ts';

export function SignInView({ onChange }: { onChange?: () => void }) {
  const { t, route, href, lang } = useApp();
  const [user, setUser] = useState('');
  const [pw, setPw] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const next =
    route.params.next && route.params.next.startsWith('/') && !route.params.next.startsWith('//')
      ? route.params.next
      : href('cockpit');
  const methods = useApi(apiPath('GET /api/auth/methods'));
  return (
    <section class="km-view km-prose" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('auth.signInTitle')}
      </h1>
      <p>{t('auth.intro')}</p>
      {methods.data?.oidc && (
        <p>
          {/* Single sign-on: a full-page navigation to the identity provider and back. */}
          <a
            class="kern-btn kern-btn--secondary"
            href={apiUrl(`/api/auth/oidc/login?returnTo=${encodeURIComponent(next)}`)}
          >
            {t('auth.sso')}
          </a>
        </p>
      )}
      <form
        class="km-panel km-signin"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          try {
            await signIn(user.trim(), pw);
            clearCache();
            onChange?.();
            navigate(next, { replace: true });
          } catch (err) {
            setError(t('auth.failed', { message: serverText(err as ServerError, 401, lang) }));
          } finally {
            setBusy(false);
          }
        }}
      >
        <TextField id="signin-user" autoComplete="username" label={t('auth.user')} value={user} onInput={setUser} />
        <TextField
          id="signin-password"
          label={t('auth.password')}
          type="password"
          autoComplete="current-password"
          value={pw}
          onInput={setPw}
          error={error}
        />
        <Button type="submit" kind="primary" disabled={busy}>
          {t('auth.submit')}
        </Button>
      </form>
    </section>
  );
}
