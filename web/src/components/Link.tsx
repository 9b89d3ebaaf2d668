// An internal link that navigates inside the app (and works as a normal link otherwise).
// `href` is an app path ("/atlas?…"); the element carries it with the mount point.
import type { ComponentChildren } from 'preact';
import { hrefOf, onLinkClick } from '../router.ts';

export function Link(p: {
  href: string;
  children: ComponentChildren;
  class?: string;
  label?: string;
  current?: boolean;
}) {
  return (
    <a
      href={hrefOf(p.href)}
      class={p.class ?? 'kern-link'}
      aria-label={p.label}
      aria-current={p.current ? 'page' : undefined}
      onClick={(e) => onLinkClick(e as unknown as MouseEvent, p.href)}
    >
      {p.children}
    </a>
  );
}
