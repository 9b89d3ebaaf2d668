// The layers and the indicator catalogue most views start from, with the common loading, error
// and empty states; the view's body gets both once they are there.
import type { ComponentChildren } from 'preact';
import { useApp } from '../context.ts';
import { useApi, type IndicatorInfo, type LayerInfo, apiPath } from '../api.ts';
import { ErrorBox, Loading, Notice } from './States.tsx';

export function WithCatalog({
  ready = true,
  children,
}: {
  ready?: boolean;
  children: (layers: LayerInfo[], indicators: IndicatorInfo[]) => ComponentChildren;
}) {
  const { t } = useApp();
  const layers = useApi(apiPath('GET /api/layers'));
  const inds = useApi(apiPath('GET /api/indicators'));
  if (layers.error) return <ErrorBox error={layers.error} retry={layers.retry} />;
  if (inds.error) return <ErrorBox error={inds.error} retry={inds.retry} />;
  if (!layers.data || !inds.data || !ready) return <Loading />;
  if (!layers.data.layers.length || !inds.data.indicators.length) return <Notice>{t('state.noData')}</Notice>;
  return <>{children(layers.data.layers, inds.data.indicators)}</>;
}
