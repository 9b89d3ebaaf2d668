// Reading the catalogue tables (layers, versions, indicators, dimensions, periods) into typed
// objects. Small tables: services load them whole and resolve keys in memory.
import type { Queryable } from './db.ts';
import type { Confidentiality, IndicatorType, Polarity, ComponentRef, DisclosureSetting } from '../core/indicators.ts';
import type { PeriodType } from '../core/periods.ts';

export interface LayerRow {
  id: number;
  key: string;
  name: string;
  kind: 'hierarchical' | 'overlay';
  parentLayerId: number | null;
  parentLayerKey: string | null;
  description: string | null;
}

export interface LayerVersionRow {
  id: number;
  layerId: number;
  validFrom: string | null;
  /** The next version's valid_from (exclusive), or null when current. */
  validTo: string | null;
  sourceCrs: string | null;
  areaCount: number;
}

export interface IndicatorRow {
  id: number;
  key: string;
  name: string;
  description: string | null;
  unit: string;
  type: IndicatorType;
  dimensions: string[];
  numerator: ComponentRef | null;
  denominator: ComponentRef | null;
  scale: number;
  polarity: Polarity;
  source: string | null;
  owner: string | null;
  /** The owning department's name; null when there is none or it is only the key (departments a catalogue import created). */
  ownerName: string | null;
  confidentiality: Confidentiality;
  periodicity: string | null;
  minBase: number | null;
  methodology: string | null;
  themes: string[];
  decimals: number | null;
  draft: boolean;
  departments: string[];
  /** For derived indicators (indices): where the values come from. */
  lineage: Record<string, unknown> | null;
  /** The indicator's own disclosure rule (catalogue field `disclosure`), or null. */
  disclosure: DisclosureSetting | null;
  /** The owning department's default rule (department.disclosure), or null. */
  departmentDisclosure: DisclosureSetting | null;
  updatedAt: string;
}

export interface PeriodRow {
  id: number;
  key: string;
  type: PeriodType;
  start: string;
  end: string;
}

export interface DimensionRow {
  id: number;
  key: string;
  name: string;
  members: { key: string; name: string; sort: number }[];
}

export async function loadLayers(db: Queryable): Promise<LayerRow[]> {
  const { rows } = await db.query<LayerRow>(
    `SELECT l.id, l.key, l.name, l.kind, l.parent_layer_id AS "parentLayerId", p.key AS "parentLayerKey", l.description
       FROM layer l LEFT JOIN layer p ON p.id = l.parent_layer_id ORDER BY l.id`,
  );
  return rows;
}

export async function loadLayerVersions(db: Queryable, layerId?: number): Promise<LayerVersionRow[]> {
  const { rows } = await db.query<LayerVersionRow>(
    `SELECT v.id, v.layer_id AS "layerId", v.valid_from::text AS "validFrom",
            (SELECT min(n.valid_from)::text FROM layer_version n
              WHERE n.layer_id = v.layer_id AND n.valid_from > COALESCE(v.valid_from, '-infinity'::date)) AS "validTo",
            v.source_crs AS "sourceCrs",
            (SELECT count(*)::int FROM area a WHERE a.layer_version_id = v.id) AS "areaCount"
       FROM layer_version v
      WHERE ($1::int IS NULL OR v.layer_id = $1)
      ORDER BY v.layer_id, v.valid_from NULLS FIRST`,
    [layerId ?? null],
  );
  return rows;
}

/** The areas of one boundary version: id by code. */
/** How many areas a layer version has. */
export async function areaCountOfVersion(db: Queryable, layerVersionId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM area WHERE layer_version_id = $1', [
    layerVersionId,
  ]);
  return rows[0].n;
}

export async function areaIdsByCode(db: Queryable, layerVersionId: number): Promise<Map<string, number>> {
  const { rows } = await db.query<{ id: number; code: string }>(
    'SELECT id, code FROM area WHERE layer_version_id = $1',
    [layerVersionId],
  );
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** The codes of the current (latest) boundary version of a layer. */
export async function currentAreaCodes(db: Queryable, layer: string): Promise<Set<string>> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT a.code FROM area a WHERE a.layer_version_id = (
       SELECT v.id FROM layer_version v JOIN layer l ON l.id = v.layer_id WHERE l.key = $1 ORDER BY v.valid_from DESC NULLS LAST LIMIT 1)`,
    [layer],
  );
  return new Set(rows.map((r) => r.code));
}

/** The version valid on a date (ISO); with no date, the current (latest) version. */
export function versionValidAt(versions: LayerVersionRow[], date?: string | null): LayerVersionRow | undefined {
  if (!date) return versions[versions.length - 1];
  let found: LayerVersionRow | undefined;
  for (const v of versions) if (v.validFrom === null || v.validFrom <= date) found = v;
  return found;
}

export async function loadIndicators(db: Queryable): Promise<IndicatorRow[]> {
  const { rows } = await db.query<IndicatorRow>(
    `SELECT id, key, name, description, unit, type, dimensions, numerator, denominator, scale, polarity, source, owner,
            (SELECT NULLIF(d.name, d.key) FROM department d WHERE d.key = indicator.owner) AS "ownerName", confidentiality, periodicity, min_base AS "minBase", methodology, themes, decimals, draft, departments, lineage,
            disclosure, (SELECT d.disclosure FROM department d WHERE d.key = indicator.owner) AS "departmentDisclosure", updated_at::text AS "updatedAt"
       FROM indicator ORDER BY key`,
  );
  return rows;
}

export async function loadDimensions(db: Queryable): Promise<DimensionRow[]> {
  const { rows } = await db.query<{ id: number; key: string; name: string; members: DimensionRow['members'] | null }>(
    `SELECT d.id, d.key, d.name,
            (SELECT json_agg(json_build_object('key', m.key, 'name', m.name, 'sort', m.sort) ORDER BY m.sort, m.key)
               FROM dimension_member m WHERE m.dimension_id = d.id) AS members
       FROM dimension d ORDER BY d.key`,
  );
  return rows.map((r) => ({ ...r, members: r.members ?? [] }));
}

export async function loadPeriods(db: Queryable): Promise<PeriodRow[]> {
  const { rows } = await db.query<PeriodRow>(
    `SELECT id, key, type, start_date::text AS start, end_date::text AS "end" FROM period ORDER BY end_date, key`,
  );
  return rows;
}

/** Code and name of every area of a layer version, by code. */
export async function areaNames(db: Queryable, layerVersionId: number): Promise<{ code: string; name: string }[]> {
  const { rows } = await db.query<{ code: string; name: string }>(
    'SELECT code, name FROM area WHERE layer_version_id = $1 ORDER BY code',
    [layerVersionId],
  );
  return rows;
}
