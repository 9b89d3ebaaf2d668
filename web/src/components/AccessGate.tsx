// The gate in front of a view that needs a signed-in user with a right: loading while the session
// is read, a note when sign-in is not available, a sign-in link for the anonymous, and a clear
// "no permission" alert (the server's 403 in words) for users without the right.
import type { ComponentChildren } from 'preact';
import { useApp } from '../context.ts';
import type { Me } from '../auth.ts';
import { Link } from './Link.tsx';
import { Loading, Notice } from './States.tsx';

export interface Forbidden {
  /** Class of the alert (the browser tests find it by it). */
  className: string;
  kind: 'danger' | 'warning';
  title: string;
  text: string;
  /** Where to go instead. */
  link: { href: string; label: string };
}

export function AccessGate({
  signInText,
  allowed,
  forbidden,
  children,
}: {
  signInText: string;
  allowed: (user: NonNullable<Me['user']>) => boolean;
  forbidden: (user: NonNullable<Me['user']>) => Forbidden;
  children: ComponentChildren;
}) {
  const { t, me, href, route } = useApp();
  if (me === undefined) return <Loading />;
  if (me === null || me.available === false) return <Notice kind="warning">{t('admin.noAuth')}</Notice>;
  if (!me.user) {
    return (
      <Notice kind="warning" title={t('admin.signInTitle')}>
        <p>{signInText}</p>
        <p>
          <Link
            href={href('anmelden', { next: `/${route.view}${location.search}` })}
            class="kern-link km-signin-needed"
          >
            {t('auth.signInTitle')}
          </Link>
        </p>
      </Notice>
    );
  }
  if (!allowed(me.user)) {
    const f = forbidden(me.user);
    return (
      <div
        class={`kern-alert kern-alert--${f.kind} km-alert ${f.className}`}
        role={f.kind === 'danger' ? 'alert' : 'status'}
      >
        <div class="kern-alert__header">
          <span class={`kern-icon kern-icon--${f.kind}`} aria-hidden="true" />
          <h2 class="kern-title">{f.title}</h2>
        </div>
        <div class="kern-alert__body">
          <p class="kern-body">{f.text}</p>
          <p class="kern-body">
            <Link href={f.link.href}>{f.link.label}</Link>
          </p>
        </div>
      </div>
    );
  }
  return <>{children}</>;
}
