// First start: the one-time link the server prints creates the first administrator. There is
// no default password; the secret in the link works once.
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { errorMessageIn } from '../lib/servertext.ts';
import { postJSON, apiPath } from '../api.ts';
import { hrefOf } from '../router.ts';
import { TextField, Button } from '../components/Fields.tsx';

export function SetupView() {
  const { t, lang, route, href } = useApp();
  const token = route.params.token ?? '';
  const [user, setUser] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [pw, setPw] = useState('');
  const [pw2, setPw2] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <section class="km-view km-prose" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('setup.title')}
      </h1>
      {done ? (
        <div class="km-panel" role="status">
          <p>{t('setup.done', { name: done })}</p>
          <p>
            <a class="kern-link" href={hrefOf(href('anmelden'))}>
              {t('auth.signInTitle')}
            </a>
          </p>
        </div>
      ) : !token ? (
        <p role="alert">{t('setup.noToken')}</p>
      ) : (
        <>
          <p>{t('setup.intro')}</p>
          <form
            class="km-panel km-signin"
            onSubmit={async (e) => {
              e.preventDefault();
              if (pw !== pw2) return setError(t('setup.mismatch'));
              setBusy(true);
              setError(undefined);
              try {
                const r = await postJSON(apiPath('POST /api/setup'), {
                  token,
                  user: user.trim(),
                  password: pw,
                  ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
                });
                setDone(r.user.name);
              } catch (err) {
                setError(errorMessageIn(err, lang));
              } finally {
                setBusy(false);
              }
            }}
          >
            <TextField
              id="setup-user"
              autoComplete="username"
              label={t('auth.user')}
              value={user}
              onInput={setUser}
              required
            />
            <TextField
              id="setup-display"
              autoComplete="name"
              label={t('setup.displayName')}
              value={displayName}
              onInput={setDisplayName}
            />
            <TextField
              id="setup-password"
              label={t('auth.password')}
              type="password"
              autoComplete="new-password"
              value={pw}
              onInput={setPw}
              hint={t('setup.passwordHint')}
              required
            />
            <TextField
              id="setup-password2"
              label={t('setup.repeat')}
              type="password"
              autoComplete="new-password"
              value={pw2}
              onInput={setPw2}
              error={error}
              required
            />
            <Button type="submit" kind="primary" disabled={busy}>
              {t('setup.submit')}
            </Button>
          </form>
        </>
      )}
    </section>
  );
}
