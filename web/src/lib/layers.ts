// Choosing a layer for an indicator.
import type { IndicatorInfo, LayerInfo } from '../api.ts';

/**
 * The layer to show an indicator on: the current one when it has values there, otherwise the
 * layer with values whose map reads best (the number of areas closest to ~40).
 */
export function layerWithData(layers: LayerInfo[], indicator: IndicatorInfo, current: string): string {
  const withData = indicator.layers;
  if (!withData || !withData.length || withData.includes(current)) return current;
  const size = (key: string) => layers.find((l) => l.key === key)?.versions.at(-1)?.areas ?? 0;
  return [...withData].sort((a, b) => Math.abs(size(a) - 40) - Math.abs(size(b) - 40))[0];
}
