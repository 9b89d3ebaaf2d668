// Sign-in state for changes (cockpit): the session cookie is HttpOnly; state-changing requests
// carry the session's CSRF token (X-CSRF-Token), which /api/auth/me and /api/auth/login return.
import { withBase } from './base.ts';
import type { ServerError } from './lib/servertext.ts';
import type { LoginAnswer, MeAnswer } from '../../src/contracts/answers/index.ts';

/** Who is signed in (the server's answer); `available` is false when the server has no sign-in (404). */
export type Me = MeAnswer & { available?: boolean };

let current: Promise<Me> | null = null;

export function whoAmI(fresh = false): Promise<Me> {
  if (!current || fresh) {
    current = fetch(withBase('/api/auth/me'), { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? (r.json() as Promise<Me>) : { user: null, csrfToken: null, available: r.status !== 404 }))
      .catch(() => ({ user: null, csrfToken: null }));
  }
  return current;
}

export async function signIn(user: string, password: string): Promise<Me> {
  const r = await fetch(withBase('/api/auth/login'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  const body = (await r.json().catch(() => ({}))) as Partial<LoginAnswer> & {
    message?: string;
    code?: string;
    params?: ServerError['params'];
  };
  // The code and parameters travel with the error, so that the sign-in page words it (servertext.ts).
  if (!r.ok)
    throw Object.assign(new Error(body.message ?? r.statusText), { code: body.code, params: body.params }) as Error &
      ServerError;
  const me: Me = { user: body.user ?? null, csrfToken: body.csrfToken ?? null };
  current = Promise.resolve(me);
  return me;
}

export async function csrfHeader(): Promise<Record<string, string>> {
  const me = await whoAmI();
  return me.csrfToken ? { 'X-CSRF-Token': me.csrfToken } : {};
}

export async function signOut(): Promise<void> {
  const headers = await csrfHeader();
  await fetch(withBase('/api/auth/logout'), {
    method: 'POST',
    headers: { Accept: 'application/json', ...headers },
  }).catch(() => undefined);
  current = Promise.resolve({ user: null, csrfToken: null });
}

/** Roles that may save an index (POST /api/analysis/index/save). */
export function maySaveIndex(me: Me | null | undefined): boolean {
  const role = me?.user?.role;
  return !!me?.user && role !== 'viewer';
}

/** Whether the signed-in user holds the sealed-office permission (the server decides; this only shapes the navigation). */
export function isSealedOffice(me: Me | null | undefined): boolean {
  return me?.user?.sealedOffice === true;
}
