import { test } from 'node:test';
import assert from 'node:assert/strict';
import proj4 from 'proj4';
import {
  assessCoordinates,
  checkCoordinatesFit,
  crsFromPrj,
  isSupportedCrs,
  makeTransform,
  parseCrs,
  plausibleBounds,
} from '../../../src/core/geo/crs.ts';

// Berlin TV tower, WGS84. The projected coordinates below were computed independently of proj4
// (Krüger series for transverse Mercator; DHDN via the inverse 7-parameter Helmert transformation).
const TV_TOWER = { lon: 13.409419, lat: 52.520817 };
const PROJECTED: [string, number, number][] = [
  ['EPSG:25833', 392081.0708, 5820156.4114],
  ['EPSG:25832', 799106.8542, 5828109.0319],
  ['EPSG:32633', 392081.0708, 5820156.4114], // WGS 84 / UTM equals ETRS89 / UTM at this accuracy
  ['EPSG:31467', 3799298.626, 5830004.2538],
  ['EPSG:31468', 4595769.8448, 5821789.1238],
  ['EPSG:3857', 1492729.6949, 6894849.2691],
  ['EPSG:4647', 32799106.8542, 5828109.0319],
];

/** Distance in metres between two nearby lon/lat points. */
function metres(a: [number, number], b: { lon: number; lat: number }): number {
  const dx = (a[0] - b.lon) * 111_320 * Math.cos((b.lat * Math.PI) / 180);
  const dy = (a[1] - b.lat) * 110_574;
  return Math.hypot(dx, dy);
}

for (const [crs, x, y] of PROJECTED) {
  test(`${crs}: the TV tower transforms to within 1 m of its WGS84 position`, () => {
    const p = makeTransform(crs)(x, y);
    assert.ok(metres(p, TV_TOWER) < 1, `${crs} → ${p} is ${metres(p, TV_TOWER).toFixed(2)} m off`);
  });
}

test('the reference values are sensitive to the DHDN datum shift', () => {
  // Without +towgs84 the same Gauss-Krüger point lands >100 m away: the 1 m check above really
  // verifies the shift parameters.
  const noShift = proj4(
    '+proj=tmerc +lat_0=0 +lon_0=12 +k=1 +x_0=4500000 +y_0=0 +ellps=bessel +units=m +no_defs',
    'EPSG:4326',
  ).forward([4595769.8448, 5821789.1238]) as [number, number];
  assert.ok(metres(noShift, TV_TOWER) > 100, `${metres(noShift, TV_TOWER)} m`);
});

test('geographic systems are identities rounded to 7 decimals', () => {
  assert.deepEqual(makeTransform('EPSG:4326')(13.123456789, 52.987654321), [13.1234568, 52.9876543]);
  assert.deepEqual(makeTransform('EPSG:4258')(13.4, 52.5), [13.4, 52.5]);
  assert.throws(() => makeTransform('EPSG:2154'), /Unsupported CRS EPSG:2154/);
});

test('parseCrs accepts the usual spellings', () => {
  for (const s of [
    'EPSG:25833',
    'epsg:25833',
    ' 25833 ',
    'urn:ogc:def:crs:EPSG::25833',
    'urn:ogc:def:crs:EPSG:6.9:25833',
    'http://www.opengis.net/def/crs/EPSG/0/25833',
    'EPSG::25833',
  ]) {
    assert.equal(parseCrs(s), 'EPSG:25833', s);
  }
  for (const s of [
    'urn:ogc:def:crs:OGC:1.3:CRS84',
    'CRS84',
    'OGC:CRS84',
    'http://www.opengis.net/def/crs/OGC/1.3/CRS84',
    'urn:ogc:def:crs:EPSG::4326',
  ]) {
    assert.equal(parseCrs(s), 'EPSG:4326', s);
  }
  assert.equal(parseCrs('EPSG:900913'), 'EPSG:3857');
  assert.equal(parseCrs('EPSG:2154'), 'EPSG:2154', 'syntactically fine, even if unsupported');
  assert.equal(isSupportedCrs('EPSG:2154'), false);
  assert.equal(parseCrs('Gauss-Krüger'), null);
  assert.equal(parseCrs(''), null);
});

const GEOGCS_ETRS =
  'GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const GEOGCS_DHDN =
  'GEOGCS["GCS_Deutsches_Hauptdreiecksnetz",DATUM["D_Deutsches_Hauptdreiecksnetz",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const GEOGCS_WGS =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const tm = (fe: number, cm: number, k: number) =>
  `PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",${fe}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",${k}],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]`;

test('crsFromPrj recognises ESRI and OGC WKT', () => {
  const cases: [string, string][] = [
    [`PROJCS["ETRS_1989_UTM_Zone_32N",${GEOGCS_ETRS},${tm(500000, 9, 0.9996)}]`, 'EPSG:25832'],
    [`PROJCS["ETRS_1989_UTM_Zone_33N",${GEOGCS_ETRS},${tm(500000, 15, 0.9996)}]`, 'EPSG:25833'],
    [`PROJCS["ETRS89_UTM_zone_32N",${GEOGCS_ETRS},${tm(500000, 9, 0.9996)}]`, 'EPSG:25832'],
    [`PROJCS["ETRS89 / UTM zone 33N",${GEOGCS_ETRS},${tm(500000, 15, 0.9996)}]`, 'EPSG:25833'],
    [`PROJCS["ETRS_1989_UTM_Zone_N32",${GEOGCS_ETRS},${tm(32500000, 9, 0.9996)}]`, 'EPSG:4647'],
    [`PROJCS["ETRS89 / UTM zone 33N (zE-N)",${GEOGCS_ETRS},${tm(33500000, 15, 0.9996)}]`, 'EPSG:5650'],
    [
      `PROJCS["DHDN_3_Degree_Gauss_Zone_3",${GEOGCS_DHDN},${tm(3500000, 9, 1).replace('Transverse_Mercator', 'Gauss_Kruger')}]`,
      'EPSG:31467',
    ],
    [
      `PROJCS["Deutsches_Hauptdreiecksnetz_Transverse_Mercator_Zone_4",${GEOGCS_DHDN},${tm(4500000, 12, 1)}]`,
      'EPSG:31468',
    ],
    [`PROJCS["DHDN / 3-degree Gauss-Kruger zone 4",${GEOGCS_DHDN},${tm(4500000, 12, 1)}]`, 'EPSG:31468'],
    [`PROJCS["WGS_1984_UTM_Zone_33N",${GEOGCS_WGS},${tm(500000, 15, 0.9996)}]`, 'EPSG:32633'],
    [GEOGCS_WGS, 'EPSG:4326'],
    [GEOGCS_ETRS, 'EPSG:4258'],
    [
      `PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",${GEOGCS_WGS},PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]`,
      'EPSG:3857',
    ],
    [
      `PROJCS["ETRS_1989_LAEA",${GEOGCS_ETRS},PROJECTION["Lambert_Azimuthal_Equal_Area"],PARAMETER["False_Easting",4321000.0],PARAMETER["False_Northing",3210000.0],PARAMETER["Central_Meridian",10.0],PARAMETER["Latitude_Of_Origin",52.0],UNIT["Meter",1.0]]`,
      'EPSG:3035',
    ],
  ];
  for (const [wkt, expected] of cases) assert.equal(crsFromPrj(wkt), expected, wkt.slice(0, 60));
});

test('crsFromPrj uses the top-level AUTHORITY, not the nested ones', () => {
  const gdal =
    'PROJCS["some local name",GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],TOWGS84[0,0,0,0,0,0,0],AUTHORITY["EPSG","6258"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4258"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",15],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","25833"]]';
  assert.equal(crsFromPrj(gdal), 'EPSG:25833');
  // Without the top-level authority an unknown name is not guessed from the base CRS's authority.
  assert.equal(crsFromPrj(gdal.replace(',AUTHORITY["EPSG","25833"]]', ']')), null);
  // WKT2 uses ID[...].
  assert.equal(
    crsFromPrj(
      'PROJCRS["ETRS89 / UTM zone 32N",BASEGEOGCRS["ETRS89",DATUM["European Terrestrial Reference System 1989",ELLIPSOID["GRS 1980",6378137,298.257222101]],ID["EPSG",4258]],CONVERSION["UTM zone 32N",METHOD["Transverse Mercator"]],CS[Cartesian,2],ID["EPSG",25832]]',
    ),
    'EPSG:25832',
  );
  assert.equal(crsFromPrj(`PROJCS["NAD83_UTM_Zone_17N",${GEOGCS_WGS},${tm(500000, -81, 0.9996)}]`), null);
  assert.equal(crsFromPrj('not a WKT'), null);
});

test('checkCoordinatesFit: metres declared as degrees, degrees as metres, wrong Gauss-Krüger zone', () => {
  const berlinUtm: [number, number, number, number] = [370000, 5800000, 415000, 5837000];
  assert.equal(checkCoordinatesFit('EPSG:25833', berlinUtm), null);
  assert.equal(checkCoordinatesFit('EPSG:4326', [13.08, 52.33, 13.77, 52.68]), null);
  assert.equal(checkCoordinatesFit('EPSG:31468', [4570000, 5800000, 4620000, 5840000]), null);

  const metresAsDegrees = assessCoordinates('EPSG:4326', berlinUtm);
  assert.equal(metresAsDegrees?.severity, 'error');
  assert.match(metresAsDegrees!.reason, /projected metres/);
  assert.match(metresAsDegrees!.hint!, /EPSG:25832 or EPSG:25833/);

  const degreesAsMetres = assessCoordinates('EPSG:25832', [13.08, 52.33, 13.77, 52.68]);
  assert.equal(degreesAsMetres?.severity, 'error');
  assert.match(degreesAsMetres!.reason, /look like degrees/);

  const wrongZone = assessCoordinates('EPSG:31467', [4570000, 5800000, 4620000, 5840000]);
  assert.equal(wrongZone?.severity, 'error');
  assert.match(wrongZone!.hint!, /EPSG:31468/);

  const gkAsUtm = assessCoordinates('EPSG:25832', [3570000, 5800000, 3620000, 5840000]);
  assert.match(gkAsUtm!.hint!, /EPSG:31467/);

  const zonePrefixed = assessCoordinates('EPSG:25832', [32790000, 5800000, 32800000, 5840000]);
  assert.match(zonePrefixed!.hint!, /EPSG:4647/);

  // Plausible numbers, implausible place: only a warning.
  const swapped = assessCoordinates('EPSG:4326', [52.33, 13.08, 52.68, 13.77]);
  assert.equal(swapped?.severity, 'warning');
  assert.match(swapped!.hint!, /longitude first/);
  assert.equal(assessCoordinates('EPSG:4326', [-74.1, 40.6, -73.8, 40.9])?.severity, 'warning');

  assert.deepEqual(plausibleBounds('EPSG:4326'), [-180, -90, 180, 90]);
  assert.equal(plausibleBounds('EPSG:2154'), null);
});
