// The two alerts of the analysis views (index builder, typologies): problems to fix in the form
// before anything is computed, and why the server could not compute the result.
import type { ComponentChildren } from 'preact';
import { useApp } from '../context.ts';
import type { ApiError, Problem } from '../api.ts';
import { ErrorBox } from './States.tsx';
import { Link } from './Link.tsx';
import { problemText, serverText } from '../lib/servertext.ts';

/** The period a problem names (its parameter `period`, e.g. "2023-12-31"), or ''. */
export function problemPeriod(problem: Problem): string {
  const period = problem.params?.period;
  return period === undefined ? '' : String(period);
}

/** Problems found in the form, each a link to its field. */
export function FixFirst({
  title,
  problems,
}: {
  title: string;
  problems: { field: string; text: ComponentChildren }[];
}) {
  return (
    <div class="kern-alert kern-alert--warning km-alert" role="status">
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--warning" aria-hidden="true" />
        <span class="kern-title">{title}</span>
      </div>
      <div class="kern-alert__body">
        <ul class="kern-body">
          {problems.map((pr, i) => (
            <li key={i}>
              <a class="kern-link" href={`#${pr.field}`}>
                {pr.text}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/**
 * Why the server could not compute, in words (no retry button for input problems). `word` words a
 * problem the view knows (undefined: the server's reason); with `hints`, a problem's hint follows
 * it in brackets, except for no-data, whose wording already says what is missing.
 */
export function AnalysisError(p: {
  error: ApiError;
  retry: () => void;
  title: string;
  needsSignIn: string;
  notFound: string;
  word: (problem: Problem) => string | undefined;
  hints?: boolean;
}) {
  const { t, lang, href, route } = useApp();
  const { error } = p;
  if (error.status !== 400 && error.status !== 401 && error.status !== 404)
    return <ErrorBox error={error} retry={p.retry} title={p.title} />;
  const problems = error.problems.filter((x) => x.severity !== 'warning');
  return (
    <div class="kern-alert kern-alert--danger km-alert" role="alert">
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--danger" aria-hidden="true" />
        <span class="kern-title">{p.title}</span>
      </div>
      <div class="kern-alert__body">
        {error.status === 401 ? (
          <p class="kern-body">
            {p.needsSignIn}{' '}
            <Link href={href('anmelden', { next: `/${route.view}${location.search}` })}>{t('auth.signInTitle')}</Link>
          </p>
        ) : error.status === 404 ? (
          <p class="kern-body">{p.notFound}</p>
        ) : problems.length ? (
          <ul class="kern-body">
            {problems.map((x, i) => (
              <li key={i}>
                {p.word(x) ?? (x.reason !== undefined ? problemText(x, lang) : serverText(error, error.status, lang))}
                {p.hints && x.code !== 'no-data' && x.hint && <span class="km-muted"> ({x.hint})</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p class="kern-body">{serverText(error, error.status, lang)}</p>
        )}
      </div>
    </div>
  );
}
