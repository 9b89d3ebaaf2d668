// The demo city loaded through the import services: the numbers add up across the hierarchy,
// the boundary change 24 → 38 Stadtteile is visible, and overlays carry their own data.
import { ANONYMOUS, SYSTEM } from '../../src/core/access.ts';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { loadDemo, isEmpty } from '../../src/services/demo.ts';
import { getObservations, getTimeSeries, getAreaProfile } from '../../src/services/query.ts';
import { listLayers, listIndicators } from '../../src/services/catalogue-read.ts';
import {
  computeIndexFor,
  computeTypologyFor,
  indexRowsToCsv,
  saveIndex,
  indexSensitivity,
  storedIndex,
  saveTypology,
  compareTypologies,
} from '../../src/services/analysis.ts';
import { adjustedRandIndex } from '../../src/core/stats/typology.ts';
import { indexTemplate } from '../../src/core/stats/templates.ts';
import { InputRejected } from '../../src/core/problems.ts';
import { crosswalkFor, congruenceFor, parseLayerRef, layerAreas } from '../../src/services/spatial.ts';
import { assignPointsToLayers } from '../../src/services/assign-points.ts';
import { representativePoint } from '../../src/core/geo/representative-point.ts';

for (const engine of engines) {
  describe(`demo city Musterstadt [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    before(async () => {
      db = await openEngine(engine);
      assert.equal(await isEmpty(db), true);
      await loadDemo(db);
    });
    after(async () => db?.close());

    test('the demo has an address register: "Mein Stadtteil" finds its streets with the Stadtteile they touch', async () => {
      const { rows } = await db.query<{ street: string; n: number }>(
        'SELECT street, count(*)::int AS n FROM address GROUP BY street ORDER BY n DESC, street LIMIT 1',
      );
      assert.ok(rows.length === 1 && rows[0].n >= 6, 'streets with several houses');
      const { searchPlaces } = await import('../../src/services/place-search.ts');
      const r = await searchPlaces(db, rows[0].street.slice(0, -2));
      const hit = r.streets.find((s) => s.street === rows[0].street);
      assert.ok(hit && hit.areas.some((a) => a.layer === 'stadtteil'), JSON.stringify(r.streets));
      const { rows: crossing } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT street FROM address GROUP BY street HAVING count(DISTINCT codes->>'stadtteil') > 1) s`,
      );
      assert.ok(crossing[0].n > 0, 'some streets run through two Stadtteile');
    });

    test('layers and boundary versions', async () => {
      const layers = Object.fromEntries((await listLayers(db)).map((l) => [l.key, l]));
      assert.deepEqual(
        layers.stadtteil.versions.map((v) => [v.validFrom, v.areas]),
        [
          [null, 24],
          ['2021-01-01', 38],
        ],
      );
      assert.equal(layers.stadtbezirk.versions[0].areas, 12);
      assert.equal(layers.grundschulbezirk.kind, 'overlay');
      assert.equal(layers.wahlbezirk.kind, 'overlay');
      assert.ok(layers.block.versions[1].areas >= 250);
    });

    test('counts add up from blocks to Stadtteile, districts and the city', async () => {
      const city = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'gesamtstadt', period: '2024-12-31' },
        SYSTEM,
      );
      const districts = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtbezirk', period: '2024-12-31' },
        SYSTEM,
      );
      const st = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtteil', period: '2024-12-31' },
        SYSTEM,
      );
      const blocks = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'block', period: '2024-12-31' },
        SYSTEM,
      );
      const total = (a: typeof city) => a.values.reduce((s, v) => s + (v.value ?? 0), 0);
      assert.ok(city.values[0].value! > 270_000 && city.values[0].value! < 330_000);
      assert.equal(total(districts), city.values[0].value);
      assert.equal(total(st), city.values[0].value);
      assert.equal(total(blocks), city.values[0].value);
      assert.equal(st.values.length, 38);
      const old = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtteil', period: '2019-12-31' },
        SYSTEM,
      );
      assert.equal(old.values.length, 24, 'a 2019 value is shown on the 24 Stadtteile of then');
    });

    test('ratios over the city equal Σnumerator/Σdenominator of the blocks', async () => {
      const share = await getObservations(
        db,
        { indicator: 'anteil_unter6', layer: 'gesamtstadt', period: '2024-12-31' },
        SYSTEM,
      );
      const kids = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'gesamtstadt', period: '2024-12-31', filter: { altersgruppe: 'unter6' } },
        SYSTEM,
      );
      const all = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'gesamtstadt', period: '2024-12-31' },
        SYSTEM,
      );
      assert.equal(share.values[0].value, (kids.values[0].value! / all.values[0].value!) * 100);
      const blocks = await getObservations(
        db,
        { indicator: 'anteil_unter6', layer: 'block', period: '2024-12-31' },
        SYSTEM,
      );
      assert.ok(
        blocks.values.some((v) => v.status === 'below_min_base'),
        'small blocks are withheld',
      );
      assert.equal(blocks.city.value, share.values[0].value);
    });

    test('time series across the boundary change; overlays and daily data', async () => {
      const ts = await getTimeSeries(db, { indicator: 'einwohner', layer: 'stadtbezirk', area: '01' }, SYSTEM);
      assert.equal(ts.points.length, 10);
      const st = await getTimeSeries(db, { indicator: 'einwohner', layer: 'stadtteil', area: '0101' }, SYSTEM);
      assert.deepEqual(
        st.points.filter((p) => p.boundaryChange).map((p) => p.period),
        ['2021-12-31'],
      );
      const gs = await getObservations(
        db,
        { indicator: 'sprachfoerderbedarf_anteil', layer: 'grundschulbezirk' },
        SYSTEM,
      );
      assert.equal(gs.period.type, 'school_year');
      assert.ok(gs.values.filter((v) => v.value !== null).length > 30);
      const daily = await getTimeSeries(
        db,
        { indicator: 'belegung_notunterkuenfte', layer: 'gesamtstadt', area: '0' },
        SYSTEM,
      );
      assert.equal(daily.points.length, 120);
      assert.equal(daily.points.at(-1)?.period, '2024-12-31');
    });

    test('catalogue metadata and the area profile', async () => {
      const inds = await listIndicators(db, SYSTEM);
      assert.ok(inds.length >= 30);
      assert.ok(new Set(inds.flatMap((i) => i.themes)).size >= 5);
      const share = inds.find((i) => i.key === 'anteil_unter6')!;
      assert.deepEqual(share.dimensions, ['geschlecht']);
      assert.deepEqual(
        share.layers,
        ['gesamtstadt', 'stadtbezirk', 'stadtteil', 'block'],
        'stored on blocks, aggregated up',
      );
      assert.deepEqual(inds.find((i) => i.key === 'sprachfoerderbedarf_anteil')!.layers, ['grundschulbezirk']);
      const p = await getAreaProfile(db, { layer: 'stadtteil', area: '0101' }, SYSTEM);
      const entries = p.themes.flatMap((t) => t.entries);
      assert.ok(entries.length >= 30, `${entries.length} entries`);
      const ew = entries.find((e) => e.indicator.key === 'einwohner')!;
      assert.equal(ew.trend.length, 4, 'the 2021–2024 values of the current boundary version');
      assert.ok(ew.rank! >= 1 && ew.rank! <= 38);
      assert.ok(ew.parentValue! >= ew.value!);
      assert.ok(p.area.neighbours.length >= 2, 'neighbouring Stadtteile');
      assert.ok(p.area.neighbours.every((n) => n.layer === 'stadtteil' && n.code !== '0101'));
      // Indicators kept only for the school catchments have no values here: they are left out,
      // not listed as "no data"; a catchment's profile has them.
      assert.ok(!entries.some((e) => e.indicator.key === 'sprachfoerderbedarf_anteil'));
      assert.ok(
        entries.every((e) => e.status !== 'missing' || e.reason !== 'no data'),
        entries
          .filter((e) => e.status === 'missing')
          .map((e) => `${e.indicator.key}: ${e.reason}`)
          .join('; '),
      );
      const catchment = await getAreaProfile(db, { layer: 'grundschulbezirk', area: '01' }, SYSTEM);
      const inCatchment = catchment.themes.flatMap((t) => t.entries);
      assert.equal(inCatchment.find((e) => e.indicator.key === 'sprachfoerderbedarf_anteil')?.status, 'final');
    });

    test('an area profile gives the city’s and the parent area’s values with their own statuses', async () => {
      const p = await getAreaProfile(db, { layer: 'stadtteil', area: '0502' }, ANONYMOUS);
      const e = p.themes.flatMap((t) => t.entries).find((x) => x.indicator.key === 'kinderarmut_anteil')!;
      const onLayer = await getObservations(
        db,
        { indicator: 'kinderarmut_anteil', layer: 'stadtteil', period: e.period! },
        ANONYMOUS,
      );
      assert.equal(e.cityValue, onLayer.city.value);
      assert.equal(e.cityStatus, onLayer.city.status);
      const parents = await getObservations(
        db,
        { indicator: 'kinderarmut_anteil', layer: 'stadtbezirk', period: e.period! },
        ANONYMOUS,
      );
      const parent = parents.values.find((v) => v.area === p.area.parent!.code)!;
      assert.equal(e.parentValue, parent.value);
      assert.equal(e.parentStatus, parent.status);
      const city = await getAreaProfile(
        db,
        {
          layer: 'gesamtstadt',
          area: (await getObservations(db, { indicator: 'einwohner', layer: 'gesamtstadt' }, ANONYMOUS)).values[0].area,
        },
        ANONYMOUS,
      );
      assert.ok(
        city.themes.flatMap((t) => t.entries).every((x) => x.parentStatus === null && x.parentValue === null),
        'no parent, no parent status',
      );
    });

    test('a status index in the manner of Berlin’s social monitoring over the blocks', async () => {
      const def = {
        key: 'status',
        name: 'Statusindex',
        layer: 'block',
        period: '2024-12-31',
        components: [
          { indicator: 'arbeitslose_anteil', weight: 1, direction: 1 },
          { indicator: 'transferbezug_anteil', weight: 1, direction: 1 },
          { indicator: 'kinderarmut_anteil', weight: 1, direction: 1 },
        ],
        transform: { method: 'zscore', sd: 'population' },
        combine: 'sum',
        restandardize: true,
        classes: { method: 'thresholds', breaks: [-1, 1, 1.5], labels: ['hoch', 'mittel', 'niedrig', 'sehr niedrig'] },
        exclude: { minBase: { indicator: 'einwohner', min: 300 }, areas: [{ code: '01010001', reason: 'Ausreißer' }] },
      };
      const a = await computeIndexFor(db, SYSTEM, def);
      const rows = a.result.rows;
      assert.ok(rows.length >= 250);
      assert.equal(rows.find((r) => r.area === '01010001')?.excluded, 'Ausreißer');
      const scored = rows.filter((r) => r.score !== null);
      const mean = scored.reduce((s, r) => s + r.score!, 0) / scored.length;
      const sd = Math.sqrt(scored.reduce((s, r) => s + (r.score! - mean) ** 2, 0) / scored.length);
      assert.ok(Math.abs(mean) < 1e-9 && Math.abs(sd - 1) < 1e-9, 'restandardised over the valid areas');
      assert.ok(
        rows.some((r) => r.excluded && /300|base/i.test(r.excluded)),
        'blocks under 300 inhabitants are excluded',
      );
      assert.ok(new Set(scored.map((r) => r.label)).size >= 3);
      assert.match(indexRowsToCsv(a), /^area;score;class;label;excluded\n/);

      const sens = await indexSensitivity(db, SYSTEM, def, { runs: 200, seed: 7 });
      assert.equal(sens.runs, 200);
      assert.equal(
        (await indexSensitivity(db, SYSTEM, def, { runs: 200, seed: 7 })).summary.stableUnderWeights,
        sens.summary.stableUnderWeights,
        'same seed, same runs',
      );
      const one = sens.areas.find((x) => x.class !== null)!;
      assert.ok(
        one.weights!.keepShare! >= 0 && one.weights!.keepShare! <= 1 && one.weights!.minRank <= one.weights!.maxRank,
      );

      // Saved, its results become derived indicators with lineage, shown like any other.
      const saved = await saveIndex(db, SYSTEM, def);
      assert.deepEqual(
        [saved.version, saved.newVersion, saved.indicators.score, saved.indicators.class],
        [1, true, 'status_wert', 'status_klasse'],
      );
      assert.equal((await saveIndex(db, SYSTEM, def)).version, 1, 'an unchanged definition keeps its version');
      assert.equal((await saveIndex(db, SYSTEM, { ...def, restandardize: false })).version, 2);
      await saveIndex(db, SYSTEM, def);
      const stored = await storedIndex(db, SYSTEM, 'status');
      assert.deepEqual([stored.version, stored.definition.components.length], [3, 3]);
      const cls = await getObservations(
        db,
        { indicator: 'status_klasse', layer: 'block', period: '2024-12-31' },
        SYSTEM,
      );
      // A public index rests on its inputs as the public sees them (disclosure control withholds
      // the kinderarmut_anteil of some blocks), so the stored classes are the public computation's.
      const publicRows = (await computeIndexFor(db, ANONYMOUS, def)).result.rows;
      const byArea = new Map(publicRows.map((r) => [r.area, r]));
      for (const v of cls.values) assert.equal(v.value, byArea.get(v.area)?.class ?? null);
      assert.equal(cls.values.find((v) => v.area === '01010001')?.reason, 'Ausreißer');
      const meta = (await listIndicators(db, SYSTEM)).find((i) => i.key === 'status_wert')!;
      assert.deepEqual(
        (meta as unknown as { lineage: { definition: string; version: number; inputs: string[] } }).lineage.inputs,
        ['arbeitslose_anteil', 'transferbezug_anteil', 'kinderarmut_anteil', 'einwohner'],
      );
    });

    test('the Bildungsteilhabe template runs on the school catchments, its inputs each at their own period', async () => {
      const a = await computeIndexFor(db, SYSTEM, indexTemplate('bildungsteilhabe'));
      // Stichtag inputs ("within"): the latest Stichtag inside the school year 2023/24.
      assert.deepEqual(a.componentPeriods, {
        kinderarmut_anteil: '2023-12-31',
        hze_quote: '2023-12-31',
        seu_kita_dauer: '2023/24',
        sprachfoerderbedarf_anteil: '2023/24',
      });
      assert.ok(a.result.rows.length > 20);
      assert.ok(a.result.rows.filter((r) => r.score !== null).length >= a.result.rows.length - 2);
      assert.equal(new Set(a.result.rows.filter((r) => r.class !== null).map((r) => r.class)).size, 5, 'quintiles');
      // "within" follows a moved index period …
      const earlier = await computeIndexFor(db, SYSTEM, indexTemplate('bildungsteilhabe'), { period: '2021/22' });
      assert.equal(earlier.componentPeriods.kinderarmut_anteil, '2021-12-31');
      // … a fixed component period does not, so moving the index is refused instead of mixing years.
      const fixed = {
        ...indexTemplate('bildungsteilhabe'),
        components: [
          { indicator: 'kinderarmut_anteil', direction: 1, period: '2023-12-31' },
          { indicator: 'seu_kita_dauer', direction: -1 },
        ],
      };
      assert.equal((await computeIndexFor(db, SYSTEM, fixed)).componentPeriods.kinderarmut_anteil, '2023-12-31');
      await assert.rejects(
        computeIndexFor(db, SYSTEM, fixed, { period: '2022/23' }),
        (e: unknown) =>
          e instanceof InputRejected &&
          e.problems[0].code === 'fixed-component-period' &&
          e.problems[0].column === 'components.0.period',
      );
      // No Stichtag within the period: named, with the component.
      await assert.rejects(
        computeIndexFor(db, SYSTEM, indexTemplate('bildungsteilhabe'), { period: '2030/31' }),
        (e: unknown) => e instanceof InputRejected && e.problems[0].column === 'components.0.period',
      );
      // The saved index records the period of every input in its lineage.
      const saved = await saveIndex(db, SYSTEM, indexTemplate('bildungsteilhabe'));
      const { rows } = await db.query<{ lineage: { inputPeriods: Record<string, string> } }>(
        'SELECT lineage FROM indicator WHERE key = $1',
        [saved.indicators.score],
      );
      assert.equal(rows[0].lineage.inputPeriods.hze_quote, '2023-12-31');
    });

    test('a typology of the Stadtteile with Ward and k-means', async () => {
      const def = {
        key: 'sozialraum',
        name: 'Sozialraumtypen',
        layer: 'stadtteil',
        period: '2024-12-31',
        indicators: ['arbeitslose_anteil', 'kinderarmut_anteil', 'anteil_65plus', 'anteil_unter6'],
        k: 4,
      };
      const ward = await computeTypologyFor(db, SYSTEM, def);
      assert.equal(ward.rows.length, 38);
      assert.equal(new Set(ward.rows.map((r) => r.type)).size, 4);
      assert.equal(ward.types.length, 4);
      assert.ok(ward.types.every((t) => t.description.length > 0));
      const km = await computeTypologyFor(db, SYSTEM, { ...def, method: 'kmeans' });
      const ari = adjustedRandIndex(
        ward.rows.map((r) => r.type),
        km.rows.map((r) => r.type),
      );
      assert.ok(ari > 0.2 && ari <= 1, `ARI ${ari}`);
      assert.ok(ward.diagnostics.length >= 5);

      const cmp = await compareTypologies(db, SYSTEM, def, { ...def, key: 'km', method: 'kmeans' });
      assert.equal(cmp.areas, 38);
      assert.equal(cmp.adjustedRandIndex, ari);
      assert.equal(cmp.crossTable.n, 38);
      assert.equal(cmp.merged.type.filter((t) => t !== null).length, 38);
      const saved = await saveTypology(db, SYSTEM, def);
      assert.deepEqual([saved.indicator, saved.types, saved.areas], ['sozialraum_typ', 4, 38]);
      const map = await getObservations(
        db,
        { indicator: 'sozialraum_typ', layer: 'stadtteil', period: '2024-12-31' },
        SYSTEM,
      );
      assert.deepEqual(
        map.values.map((v) => v.value),
        ward.rows.map((r) => r.type),
      );
    });

    test('crosswalks across the boundary change, congruence of layers, points to areas', async () => {
      const cw = await crosswalkFor(db, SYSTEM, {
        from: parseLayerRef('stadtteil@2020-12-31'),
        to: parseLayerRef('stadtteil@2021-01-01'),
      });
      const sums = new Map<string, number>();
      for (const p of cw.crosswalk.pairs) sums.set(p.from, (sums.get(p.from) ?? 0) + p.weight);
      assert.equal(sums.size, 24);
      for (const v of sums.values()) assert.ok(Math.abs(v - 1) < 1e-9);
      const pop = await crosswalkFor(db, SYSTEM, {
        from: parseLayerRef('stadtteil@2020-12-31'),
        to: parseLayerRef('stadtteil@2021-01-01'),
        weights: 'population',
      });
      assert.equal(pop.basis, 'population');
      assert.equal(pop.population?.layer, 'block');
      // The election districts nearly equal the new Stadtteile; school catchments cut across.
      const wahl = await congruenceFor(db, SYSTEM, parseLayerRef('wahlbezirk'), parseLayerRef('stadtteil'));
      const schule = await congruenceFor(db, SYSTEM, parseLayerRef('grundschulbezirk'), parseLayerRef('stadtteil'));
      assert.ok(wahl.congruence.forward.score > 0.9, `wahlbezirk → stadtteil ${wahl.congruence.forward.score}`);
      assert.ok(schule.congruence.forward.score < wahl.congruence.forward.score);
      const areas = await layerAreas(db, { layer: 'block' });
      const rp = representativePoint(areas.areas[5].geometry!)!;
      const r = await assignPointsToLayers(db, Float64Array.of(rp[0], 0), Float64Array.of(rp[1], 0));
      assert.equal(r.codes.block[0], areas.areas[5].code);
      assert.equal(r.codes.stadtbezirk[0], areas.areas[5].code.slice(0, 2));
      assert.equal(r.codes.block[1], null);
      assert.equal(r.outside.block, 1);
    });
  });
}
