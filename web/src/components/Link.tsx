// An internal link that navigates inside the app (and works as a normal link otherwise).
import type { ComponentChildren } from 'preact';
import { onLinkClick } from '../router.ts';

export function Link(p: { href: string; children: ComponentChildren; class?: string; label?: string; current?: boolean }) {
  return (
    <a
      href={p.href}
      class={p.class ?? 'kern-link'}
      aria-label={p.label}
      aria-current={p.current ? 'page' : undefined}
      onClick={(e) => onLinkClick(e as unknown as MouseEvent, p.href)}
    >
      {p.children}
    </a>
  );
}
