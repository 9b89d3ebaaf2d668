// Berichte (issue 16): the reader view. Lists the reports the reader may see; for a report with an
// area parameter an area is chosen; the document (the server's HTML, phone-first with print
// styles) is shown in the page and offered as PDF, DOCX and HTML. A release is a permalink:
// /berichte?report=stadtteilprofil&area=0101&release=1.
import { useEffect, useState } from 'preact/hooks';
import { refusalText } from '../../lib/servertext.ts';
import { useApp } from '../../context.ts';
import { apiUrl, getJSON, qs, apiPath } from '../../api.ts';
import { navigate, withParams } from '../../router.ts';
import { SelectField } from '../../components/Fields.tsx';
import { ReportEditor } from './ReportEditor.tsx';
import '../../styles/reports.css';
import { formatDate } from '../../../../src/contracts/format.ts';
import type { ReportInfo } from '../../../../src/contracts/answers/index.ts';

export function ReportsView() {
  const { t, route, lang, me } = useApp();
  const [reports, setReports] = useState<ReportInfo[] | null>(null);
  const [areas, setAreas] = useState<{ code: string; name: string }[]>([]);
  // A failed request, worded from its code where it is shown.
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    getJSON(apiPath('GET /api/reports')).then(setReports, (e: unknown) => setError(e));
  }, []);
  const key = route.params.report ?? reports?.[0]?.key;
  const report = reports?.find((r) => r.key === key);
  const layer = report?.parameters.find((p) => p.name === 'area')?.layer;
  useEffect(() => {
    if (!layer) return setAreas([]);
    getJSON(apiPath('GET /api/layers/:layer/areas', { layer })).then(
      (fc) => setAreas(fc.features.map((f) => ({ code: f.properties.code, name: f.properties.name }))),
      (e: unknown) => setError(e),
    );
  }, [layer]);
  const area = layer ? (route.params.area ?? areas[0]?.code) : undefined;
  const release = route.params.release;
  const set = (patch: Record<string, string | null>) => navigate(withParams(route, patch), { replace: true });
  const url = (format: string) =>
    apiUrl(`/api/reports/${encodeURIComponent(key ?? '')}/render${qs({ area, format, release })}`);
  const ready = !!report && (!layer || !!area);
  const [reload, setReload] = useState(0);
  return (
    <section class="km-view km-reports" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('view.berichte')}
      </h1>
      <p>{t('reports.intro')}</p>
      {error !== null && <p role="alert">{refusalText(error, lang)}</p>}
      {reports && !reports.length && <p>{t('reports.none')}</p>}
      {reports && reports.length > 0 && (
        <div class="km-reports__controls">
          <SelectField
            id="report"
            label={t('reports.choose')}
            value={key ?? ''}
            options={reports.map((r) => ({ value: r.key, label: r.title }))}
            onChange={(v) => set({ report: v, area: null, release: null })}
          />
          {layer && areas.length > 0 && (
            <SelectField
              id="area"
              label={t('reports.area')}
              value={area ?? ''}
              options={areas.map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))}
              onChange={(v) => set({ area: v })}
            />
          )}
          {report && report.releases.length > 0 && (
            <SelectField
              id="release"
              label={t('reports.release')}
              value={release ?? ''}
              options={[
                { value: '', label: t('reports.draft') },
                ...report.releases.map((r) => ({
                  value: String(r.number),
                  label: t('reports.releaseN', {
                    n: String(r.number),
                    date: formatDate(r.publishedAt.slice(0, 10), lang),
                  }),
                })),
              ]}
              onChange={(v) => set({ release: v || null })}
            />
          )}
        </div>
      )}
      {ready && (
        <>
          <h2 class="kern-heading-small">{t('reports.download')}</h2>
          <ul class="km-reports__downloads">
            <li>
              <a href={url('pdf')}>{t('reports.pdf')}</a>
            </li>
            <li>
              <a href={url('docx')}>{t('reports.docx')}</a>
            </li>
            <li>
              <a href={url('html')}>{t('reports.html')}</a>
            </li>
          </ul>
          {me?.user && key && (
            <ReportEditor key={key} reportKey={key} area={area} onSaved={() => setReload((n) => n + 1)} />
          )}
          <iframe
            key={reload}
            class="km-reports__frame"
            src={url('html')}
            title={t('reports.frame', { title: report!.title })}
          />
        </>
      )}
    </section>
  );
}
