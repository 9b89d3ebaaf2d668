// Form fields in the KERN style: labelled selects and text inputs.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface Option {
  value: string;
  label: string;
}

export function SelectField(p: {
  id: string;
  label: string;
  value: string;
  options: Option[];
  onChange: (v: string) => void;
  hint?: string;
  disabled?: boolean;
  class?: string;
}) {
  return (
    <div class={`kern-form-input km-field ${p.class ?? ''}`}>
      <label class="kern-label" for={p.id}>
        {p.label}
      </label>
      {p.hint && (
        <div class="kern-hint" id={`${p.id}-hint`}>
          {p.hint}
        </div>
      )}
      <div class="kern-form-input__select-wrapper">
        <select
          class="kern-form-input__select"
          id={p.id}
          name={p.id}
          value={p.value}
          disabled={p.disabled}
          aria-describedby={p.hint ? `${p.id}-hint` : undefined}
          onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value)}
        >
          {p.options.map((o) => (
            <option key={o.value} value={o.value} selected={o.value === p.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

export function TextField(p: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  hint?: string;
  type?: string;
  error?: string;
  children?: ComponentChildren;
  inputMode?: string;
  class?: string;
  autoComplete?: string;
  list?: string;
  required?: boolean;
  readOnly?: boolean;
  maxLength?: number;
  min?: string;
  max?: string;
}) {
  const describedBy =
    [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`kern-form-input km-field ${p.error ? 'kern-form-input--error' : ''} ${p.class ?? ''}`}>
      <label class="kern-label" for={p.id}>
        {p.label}
      </label>
      {p.hint && (
        <div class="kern-hint" id={`${p.id}-hint`}>
          {p.hint}
        </div>
      )}
      <input
        class={`kern-form-input__input ${p.error ? 'kern-form-input__input--error' : ''}`}
        id={p.id}
        name={p.id}
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        inputMode={p.inputMode as 'text' | 'decimal' | undefined}
        autoComplete={p.autoComplete}
        list={p.list}
        required={p.required}
        readOnly={p.readOnly}
        maxLength={p.maxLength}
        min={p.min}
        max={p.max}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy}
        onInput={(e) => p.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {p.error && (
        <p class="kern-error" id={`${p.id}-error`} role="alert">
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{p.error}</span>
        </p>
      )}
      {p.children}
    </div>
  );
}

export function Button(p: {
  onClick?: () => void;
  children: ComponentChildren;
  kind?: 'primary' | 'secondary' | 'tertiary';
  type?: 'button' | 'submit';
  label?: string;
  icon?: string;
  small?: boolean;
  disabled?: boolean;
  class?: string;
}) {
  return (
    <button
      type={p.type ?? 'button'}
      class={`kern-btn kern-btn--${p.kind ?? 'secondary'} ${p.small ? 'kern-btn--x-small' : ''} ${p.class ?? ''}`}
      onClick={p.onClick}
      aria-label={p.label}
      title={p.label}
      disabled={p.disabled}
    >
      {p.icon && <span class={`kern-icon kern-icon--${p.icon}`} aria-hidden="true" />}
      <span class="kern-label">{p.children}</span>
    </button>
  );
}

/**
 * Text of a field that commits parsed values; it follows outside changes (a template, the address)
 * without losing what is being typed. `toCanonical` gives the committed form of a text, null if invalid.
 */
export function useSyncedText(
  canonical: string,
  toCanonical: (text: string) => string | null,
): [string, (v: string) => void] {
  const [text, setText] = useState(canonical);
  useEffect(() => {
    if (toCanonical(text) !== canonical) setText(canonical);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [canonical]);
  return [text, setText];
}

/** A text field that commits its trimmed text on every input. */
export function TextCommitField(p: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onCommit: (v: string) => void;
  error?: string;
}) {
  const [text, setText] = useSyncedText(p.value, (s) => s.trim());
  return (
    <TextField
      id={p.id}
      label={p.label}
      hint={p.hint}
      value={text}
      autoComplete="off"
      error={p.error}
      onInput={(v) => {
        setText(v);
        p.onCommit(v.trim());
      }}
    />
  );
}
