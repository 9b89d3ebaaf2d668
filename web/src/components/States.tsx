// Loading, empty and error states (KERN loader and alerts).
import type { ComponentChildren } from 'preact';
import { useApp } from '../context.ts';
import type { ApiError } from '../api.ts';
import { serverText } from '../lib/servertext.ts';

export function Loading({ label }: { label?: string }) {
  const { t } = useApp();
  return (
    <div class="km-loading" role="status" aria-live="polite">
      <span class="kern-loader kern-loader--visible km-loader" aria-hidden="true" />
      <span>{label ?? t('state.loading')}</span>
    </div>
  );
}

export function ErrorBox({ error, retry, title }: { error: ApiError; retry?: () => void; title?: string }) {
  const { t, lang } = useApp();
  const detail =
    error.status === 0
      ? t('state.errorNetwork')
      : t('state.errorStatus', { message: serverText(error, error.status, lang), status: error.status });
  return (
    <div class="kern-alert kern-alert--danger km-alert" role="alert">
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--danger" aria-hidden="true" />
        <span class="kern-title">{title ?? t('state.error')}</span>
      </div>
      <div class="kern-alert__body">
        <p class="kern-body">{detail}</p>
        {retry && (
          <button type="button" class="kern-btn kern-btn--secondary" onClick={retry}>
            <span class="kern-label">{t('state.retry')}</span>
          </button>
        )}
      </div>
    </div>
  );
}

/** An action (a form's submission) failed: the reason, announced at once. */
export function ActionError({ text }: { text: string }) {
  const { t } = useApp();
  return (
    <div class="kern-alert kern-alert--danger km-alert" role="alert">
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--danger" aria-hidden="true" />
        <span class="kern-title">{t('admin.actionFailed')}</span>
      </div>
      <div class="kern-alert__body">
        <p class="kern-body">{text}</p>
      </div>
    </div>
  );
}

export function Notice({
  children,
  kind = 'info',
  title,
}: {
  children: ComponentChildren;
  kind?: 'info' | 'warning' | 'success';
  title?: string;
}) {
  return (
    <div class={`kern-alert kern-alert--${kind} km-alert`} role={kind === 'success' ? 'status' : undefined}>
      {title && (
        <div class="kern-alert__header">
          <span
            class={`kern-icon kern-icon--${kind === 'success' ? 'success' : kind === 'warning' ? 'warning' : 'info'}`}
            aria-hidden="true"
          />
          <span class="kern-title">{title}</span>
        </div>
      )}
      <div class="kern-alert__body">
        <div class="kern-body">{children}</div>
      </div>
    </div>
  );
}
