// The code registry (src/contracts/codes, decision 0042): every code has its German and English
// text with the same parameters, renders, and every code literal in src/ is registered.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CODES,
  CODE_GROUPS,
  codeParams,
  coded,
  isCode,
  problemText,
  renderCode,
  renderKnown,
  templateParams,
  type Code,
} from '../../src/contracts/codes/index.ts';
import {
  Conflict,
  Forbidden,
  InputRejected,
  ProblemList,
  codedList,
  formatProblemGerman,
  indicatorOfOwner,
} from '../../src/core/problems.ts';
import { definitionProblems } from '../../src/core/report/model.ts';
import { ERROR_CODES } from '../../src/contracts/codes/errors.ts';
import { parseValueCell, parseValueCellStored } from '../../src/core/values.ts';
import { reasonFields, reasonIn, storedReason } from '../../src/core/reasons.ts';
import { listItems } from '../../src/contracts/codes/index.ts';
import { writeGenesisFfcsv } from '../../src/formats/genesis-ffcsv.ts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every TypeScript file of src/ but the registry itself, with its text. */
function sources(dir = 'src'): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (p === join('src', 'contracts')) continue;
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts')) out.push({ file: p, text: readFileSync(p, 'utf8') });
  }
  return out;
}

// `code: '…'` literals that are not codes of this registry, each with why.
const NOT_CODES: Record<string, string> = {
  custom: "zod's issue code (ctx.addIssue), read by the definition parsers, never shown",
  'z-euclidean': 'the identifier of a similarity method in the comparison answer, not a message',
  startchancen: 'a vocabulary entry of the measures (a programme), with its own title',
};

const codes = Object.keys(CODES) as Code[];

describe('code registry', () => {
  it('gives every code a German and an English text with the same parameters', () => {
    assert.ok(codes.length > 20);
    for (const c of codes) {
      const { de, en } = CODES[c];
      assert.ok(de.trim() && en.trim(), c);
      assert.notEqual(de, '', c);
      assert.deepEqual(
        [...templateParams(de)].sort(),
        [...templateParams(en)].sort(),
        `${c}: parameters of de and en differ`,
      );
      // Placeholders are well-formed: no brace is left once every parameter is filled.
      const params = Object.fromEntries(codeParams(c).map((p) => [p, '1']));
      for (const lang of ['de', 'en'] as const)
        assert.doesNotMatch(renderCode({ code: c, params } as never, lang), /[{}]/, `${c} (${lang})`);
    }
  });
  it("gives a problem code's detailed text the same parameters in German and English", () => {
    let details = 0;
    for (const c of codes) {
      const detail = (CODES[c] as { detail?: { en: string; de: string } }).detail;
      if (!detail) continue;
      details++;
      assert.ok(c in CODE_GROUPS.problems, `${c}: only problem codes have a detailed text`);
      assert.ok(templateParams(detail.en).length > 0, `${c}: a detailed text names parameters`);
      assert.deepEqual(
        [...templateParams(detail.de)].sort(),
        [...templateParams(detail.en)].sort(),
        `${c}: parameters of the detailed de and en differ`,
      );
      const params = Object.fromEntries(templateParams(detail.en).map((p) => [p, '1']));
      assert.doesNotMatch(problemText({ code: c, params, reason: 'r' }, 'de'), /[{}]|\(r\)/, c);
    }
    assert.ok(details >= 20);
  });
  it('words the frequent import problems completely in German when they carry their parameters', () => {
    const member = {
      code: 'unknown-member',
      reason: '"x" is not a member of the dimension "geschlecht"',
      params: { member: 'x', dimension: 'geschlecht' },
    };
    assert.equal(problemText(member, 'de'), '„x“ ist keine Ausprägung des Merkmals „geschlecht“.');
    assert.equal(problemText(member, 'en'), member.reason);
    assert.equal(
      problemText(
        { code: 'column-count', reason: 'the row has 3 columns, the header has 4', params: { columns: 3, header: 4 } },
        'de',
      ),
      'Die Zeile hat 3 Spalten, die Kopfzeile 4.',
    );
    assert.equal(
      problemText({ code: 'missing-capacity', reason: '1234 facilities have no capacity', params: { n: 1234 } }, 'de'),
      '1.234 Einrichtung(en) ohne Kapazität; die Plätze ihrer Gebiete gelten als fehlend.',
    );
    assert.equal(
      problemText(
        {
          code: 'outside-parent',
          reason: 'area 01 lies 2.5 % outside its parent 0',
          params: { area: '01', share: '2.5', parent: '0' },
        },
        'de',
      ),
      'Das Gebiet 01 liegt zu 2,5 % außerhalb seines übergeordneten Gebiets 0.',
    );
    // Without its parameters (a site that words it otherwise), the kind of problem and the server's reason.
    assert.equal(
      problemText({ code: 'missing-column', reason: 'no street column found' }, 'de'),
      'Eine erforderliche Spalte fehlt. (no street column found)',
    );
  });
  it('has no code in two groups', () => {
    const seen = new Map<string, string>();
    for (const [group, texts] of Object.entries(CODE_GROUPS)) {
      for (const c of Object.keys(texts)) {
        assert.equal(seen.get(c), undefined, `${c} is in ${seen.get(c)} and ${group}`);
        seen.set(c, group);
      }
    }
    assert.equal(seen.size, codes.length);
  });
  it('writes codes in kebab case', () => {
    for (const c of codes) assert.match(c, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });
  it('renders parameters, dates and numbers in the reader’s format', () => {
    assert.equal(
      renderCode(coded('area-not-found', { area: '0101', layer: 'stadtteil' }), 'en'),
      'The area 0101 does not exist in layer "stadtteil".',
    );
    assert.equal(
      renderCode(coded('area-not-found', { area: '0101', layer: 'stadtteil' }), 'de'),
      'Das Gebiet 0101 gibt es in der Gliederungsebene „stadtteil“ nicht.',
    );
    assert.equal(
      renderCode(coded('layer-without-version-on', { layer: 'a', date: '2024-12-31' }), 'en'),
      'The layer "a" has no boundary version valid on 2024-12-31.',
    );
    assert.equal(
      renderCode(coded('layer-without-version-on', { layer: 'a', date: '2024-12-31' }), 'de'),
      'Die Gliederungsebene „a“ hat keinen Gebietsstand am 31.12.2024.',
    );
    assert.equal(
      renderCode(coded('sign-ins-locked', { minutes: 1500 }), 'de'),
      'Zu viele fehlgeschlagene Anmeldungen: Das Benutzerkonto ist noch 1.500 Minute(n) gesperrt.',
    );
    assert.equal(renderCode(coded('sign-in-required'), 'en'), 'Please sign in to see this.');
  });
  it('knows what it does not know', () => {
    assert.equal(isCode('area-not-found'), true);
    assert.equal(isCode('toString'), false);
    assert.equal(renderKnown({ code: 'no-such-code' }, 'de'), undefined);
    assert.equal(renderKnown(undefined, 'de'), undefined);
    assert.throws(() => renderCode({ code: 'no-such-code' }, 'de'), /Unregistered code "no-such-code"/);
  });
  it('keeps the English texts of the error codes as the messages they replaced', () => {
    // The API's `message` is the English text: answers stay what they were before codes.
    assert.equal(ERROR_CODES['wrong-credentials'].en, 'Wrong user name or password.');
    assert.equal(ERROR_CODES['csrf-token'].en, 'Missing or wrong CSRF token (header X-CSRF-Token).');
  });

  it('words errors with computed parts from nested codes, their English message as before', () => {
    const refused = new Forbidden(
      coded('own-indicators-only', {
        refused: codedList([indicatorOfOwner('a', 'jugend'), indicatorOfOwner('b', null)]),
      }),
    );
    assert.equal(
      refused.message,
      "You may change only your own department's indicators; refused: a (owner jugend), b (owner none). Nothing was changed.",
    );
    assert.equal(
      renderCode(refused.coded!, 'de'),
      'Sie dürfen nur die Indikatoren Ihres eigenen Fachbereichs ändern; abgelehnt: a (Fachbereich jugend), b (ohne Fachbereich). Nichts wurde geändert.',
    );
    const forum = new Forbidden(
      coded('forum-change-forbidden', { department: 'jugend', action: coded('forum-action-create') }),
    );
    assert.equal(
      forum.message,
      'Only administrators and the stewards of the department "jugend" may create a forum for it.',
    );
    assert.equal(
      renderCode(forum.coded!, 'de'),
      'Nur die Administration und die Datenverantwortlichen des Fachbereichs „jugend“ dürfen dafür ein Forum anlegen.',
    );
    const shape = new Conflict(
      coded('facility-indicator-shape-fixed', {
        indicator: 'kita',
        existing: coded('phrase-breakdown', { dimensions: coded('phrase-none') }),
        dimensions: 'art',
        advice: coded('phrase-leave-out-category'),
      }),
    );
    assert.equal(
      shape.message,
      'The indicator "kita" exists with the breakdown [none]; this import would give it [art]. Leave out --category, or use another --set key. Nothing was changed.',
    );
    assert.match(
      renderCode(shape.coded!, 'de'),
      /mit der Gliederung \[keine\]; dieser Import gäbe ihm \[art\]\. Lassen Sie --category weg,/,
    );
    assert.equal(codedList([]), '');
    assert.equal(codedList(['x']), 'x');
  });

  it('stores the reasons of value symbols as codes, which answers give in English as before and exports in German', () => {
    const stored = parseValueCellStored('.', ',');
    assert.deepEqual(stored, { value: null, status: 'suppressed', reason: 'reason-secret-or-unknown' });
    assert.deepEqual(parseValueCell('.', ','), { value: null, status: 'suppressed', reason: 'secret or unknown' });
    const fields = reasonFields(storedReason('reason-secret-or-unknown')!);
    assert.deepEqual(fields, { reason: 'secret or unknown', reasonCode: 'reason-secret-or-unknown', reasonParams: {} });
    assert.equal(reasonIn('de', fields), 'Zahlenwert unbekannt oder geheim zu halten');
    assert.equal(reasonIn('de', reasonFields(storedReason('reason-no-score')!)), 'kein Indexwert');
  });
  it('writes the GENESIS symbol of a value by its reason code', () => {
    const row = (reason: string, reasonCode?: string) => ({
      time: '31.12.2022',
      attributes: [{ code: '01', label: 'A' }],
      value: null,
      status: 'missing' as const,
      reason,
      ...(reasonCode ? { reasonCode } : {}),
    });
    const text = writeGenesisFfcsv({
      statisticCode: 's',
      statisticLabel: 'S',
      timeCode: 'STAG',
      timeLabel: 'Stichtag',
      variables: [{ code: 'GEMEIN', label: 'Gemeinden' }],
      valueCode: 'V',
      valueLabel: 'V',
      unit: 'Personen',
      rows: [
        row('not applicable', 'reason-not-applicable'),
        row('as typed by a person', 'reason-not-reliable'),
        row('not applicable'),
      ],
    });
    const cells = text
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(';').at(-2));
    assert.deepEqual(cells, ['x', '/', 'x']);
  });
  it('words the exclusion of an area from an index or a typology from its code', () => {
    const c = coded('reason-missing-values-for', { indicators: codedList(['a', 'b']) });
    assert.equal(renderCode(c, 'en', { plain: true }), 'missing values for a, b');
    assert.equal(renderCode(c, 'de'), 'keine Werte für a, b');
    assert.deepEqual(listItems(c.params.indicators), ['a', 'b']);
    assert.deepEqual(listItems('a'), ['a']);
    assert.equal(
      renderCode(coded('reason-base-below', { indicator: 'einwohner', value: '120.5', min: '300' }), 'de'),
      'Basis einwohner 120,5 unter 300',
    );
  });

  it('gives the summary line of rejected input a code, its English message as before', () => {
    const p = { severity: 'error' as const, code: 'bad-number', reason: 'not a number' };
    const plain = new InputRejected([p]);
    assert.equal(plain.message, '1 error(s) found; nothing was changed.\nERROR: not a number');
    assert.equal(renderCode(plain.summary!, 'de'), '1 Fehler gefunden; nichts wurde geändert.');
    const list = new ProblemList();
    list.error({ code: 'bad-number', reason: 'not a number' });
    assert.throws(
      () => list.throwIfErrors(coded('observations-not-imported', { file: 'a.csv', n: 1, rows: 1200 })),
      (x: unknown) => {
        assert.ok(x instanceof InputRejected);
        assert.equal(
          x.message,
          'The observations in a.csv were not imported: 1 error(s) in 1200 rows. Nothing was changed.',
        );
        assert.equal(
          renderCode(x.summary!, 'de'),
          'Die Beobachtungen in a.csv wurden nicht importiert: 1 Fehler in 1.200 Zeilen. Nichts wurde geändert.',
        );
        return true;
      },
    );
    assert.equal(new InputRejected([p], 'as written').summary, undefined);
  });

  it('gives the notes and warnings of answers codes whose English is the note as before', () => {
    assert.equal(
      renderCode(coded('note-population-outside-from', { n: 12.5 }), 'en', { plain: true }),
      'population 12.5 lies outside every from-area',
    );
    assert.equal(
      renderCode(coded('note-population-outside-from', { n: 12.5 }), 'de'),
      '12,5 Einwohnerinnen und Einwohner liegen außerhalb aller Ausgangsgebiete',
    );
    const fallback = coded('note-fallback-weights', {
      n: 3,
      basis: coded('phrase-basis-population'),
      fallback: coded('phrase-basis-area'),
    });
    assert.equal(renderCode(fallback, 'en', { plain: true }), '3 from-area(s) without population use area weights');
    assert.equal(renderCode(fallback, 'de'), '3 Ausgangsgebiet(e) ohne Einwohner nutzen Gewichte nach Fläche');
    assert.equal(
      problemText({ code: 'unit-differs', reason: 'x', params: { standard: '%', indicator: 'Anteil' } }, 'de'),
      'Die Einheit des Standardindikators ist „%“, die des Indikators „Anteil“: Prüfen Sie, ob sie dasselbe meinen.',
    );
  });

  it('registers every code literal of src/, and every registered code is used there', () => {
    const files = sources();
    const unregistered = new Set<string>();
    for (const { file, text } of files) {
      for (const m of text.matchAll(/\bcode: '([a-z0-9-]+)'/g))
        if (!isCode(m[1]) && !(m[1] in NOT_CODES)) unregistered.add(`${m[1]} (${file})`);
    }
    assert.deepEqual([...unregistered], [], 'codes used in src/ but not registered in src/contracts/codes');
    const all = files.map((f) => f.text).join('\n');
    const unused = codes.filter((c) => !all.includes(`'${c}'`));
    assert.deepEqual(unused, [], 'registered codes no longer used in src/');
  });

  it('words a problem: English as the server wrote it, German from its code', () => {
    const p = {
      severity: 'error' as const,
      code: 'missing-column',
      reason: 'the column "geburtsdatum" is missing',
      value: 'geburtsdatum',
      file: 'a.csv',
      line: 1,
    };
    assert.equal(problemText(p, 'en'), 'the column "geburtsdatum" is missing');
    assert.equal(problemText(p, 'de'), 'Eine erforderliche Spalte fehlt. (the column "geburtsdatum" is missing)');
    assert.equal(
      formatProblemGerman(p),
      'FEHLER: a.csv, Zeile 1: Eine erforderliche Spalte fehlt. (the column "geburtsdatum" is missing) (Wert „geburtsdatum“)',
    );
    // A problem with the parameters its code's text names is worded completely.
    assert.equal(
      problemText(
        {
          code: 'block-field-missing',
          params: { block: 'm', field: 'indicator' },
          reason: 'block "m": "indicator" is missing',
        },
        'de',
      ),
      'Baustein „m“: „indicator“ fehlt',
    );
    assert.equal(problemText({ code: 'code-of-a-newer-server', reason: 'as written' }, 'de'), 'as written');
    assert.equal(problemText({ reason: 'no code' }, 'de'), 'no code');
  });
  it('gives the report editor its shape problems as codes with the English reason they replaced', () => {
    const d = {
      key: 'Bad Key',
      title: ' ',
      owner: null,
      parameters: [],
      sections: [{ title: '', blocks: [{ key: 'm', spec: { type: 'map', title: 'Karte', layer: 'stadtteil' } }] }],
    };
    const problems = definitionProblems(d as never);
    assert.deepEqual(
      problems.map((p) => [p.code, p.reason]),
      [
        ['report-key-invalid', 'the report key "Bad Key" must be lower-case letters, digits, - or _'],
        ['report-needs-title', 'the report needs a title'],
        ['section-needs-title', 'section 1 needs a title'],
        ['block-field-missing', 'block "m": "indicator" is missing'],
      ],
    );
    assert.equal(renderCode(problems[3] as never, 'de'), 'Baustein „m“: „indicator“ fehlt');
  });
  it('imports nothing but its own files, so that the web app includes it', () => {
    for (const name of readdirSync(join('src', 'contracts', 'codes'))) {
      const text = readFileSync(join('src', 'contracts', 'codes', name), 'utf8');
      for (const m of text.matchAll(/from '([^']+)'/g))
        assert.match(m[1], /^\.\/[a-z-]+\.ts$/, `${name} imports ${m[1]}`);
    }
  });
});
