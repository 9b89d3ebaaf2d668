// The block printed at the end of every view (issue #15, item 4): when it was printed, from which
// address (the permalink), the sources of the figures on the page and the explanation of the
// symbols. The sources are collected from the elements of the view that carry `data-source`.
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { hrefOf } from '../router.ts';
import { formatDate } from '../../../src/contracts/format.ts';

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function PrintInfo() {
  const { t, lang, route } = useApp();
  const [sources, setSources] = useState<string[]>([]);
  const [date, setDate] = useState(today);
  useEffect(() => {
    const main = document.getElementById('inhalt');
    if (!main) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const collect = () => {
      const seen: string[] = [];
      for (const el of main.querySelectorAll<HTMLElement>('[data-source]')) {
        const s = el.dataset.source?.trim();
        if (s && !seen.includes(s)) seen.push(s);
      }
      setSources((old) => (old.join('\n') === seen.join('\n') ? old : seen));
    };
    collect();
    const mo = new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(collect, 250);
    });
    mo.observe(main, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-source'] });
    const before = () => {
      setDate(today());
      collect();
    };
    addEventListener('beforeprint', before);
    return () => {
      mo.disconnect();
      clearTimeout(timer);
      removeEventListener('beforeprint', before);
    };
  }, []);
  return (
    <div class="km-print-info">
      <p>
        {t('print.printed', { date: formatDate(date, lang) })}{' '}
        <span class="km-print-info__url">{location.origin + hrefOf(route)}</span>
      </p>
      {sources.length > 0 && (
        <p class="km-print-info__sources">
          {t(sources.length === 1 ? 'print.source' : 'print.sources', { sources: sources.join('; ') })}
        </p>
      )}
      <p>{t('print.symbols')}</p>
    </div>
  );
}
