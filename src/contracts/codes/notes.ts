// Codes of the notes and warnings an answer carries beside its data (a crosswalk's notes,
// src/core/geo/overlay.ts; a reallocation's warnings, src/services/reallocation.ts). The English
// text is the note as the answer's `notes` or `warnings` give it, as before codes existed.
import type { CodeText } from './define.ts';

export const NOTE_CODES = {
  // Crosswalks between two layers
  'note-pairs-dropped': {
    en: '{n} pair(s) below minShare {min} dropped; weights renormalised',
    de: '{n:number} Paar(e) unter minShare {min:number} verworfen; Gewichte neu normiert',
  },
  'note-overlap-counted-twice': {
    en: 'from-area {area}: overlaps in the to-layer ({share} % counted twice)',
    de: 'Ausgangsgebiet {area}: Überlappungen in der Zielebene ({share:number} % doppelt gezählt)',
  },
  'note-points-outside-from': {
    en: '{n} address point(s) lie outside every from-area',
    de: '{n:number} Adresspunkt(e) liegen außerhalb aller Ausgangsgebiete',
  },
  'note-population-outside-from': {
    en: 'population {n} lies outside every from-area',
    de: '{n:number} Einwohnerinnen und Einwohner liegen außerhalb aller Ausgangsgebiete',
  },
  'note-points-outside-to': {
    en: '{n} address point(s) lie outside every to-area (reported as uncovered)',
    de: '{n:number} Adresspunkt(e) liegen außerhalb aller Zielgebiete (als nicht abgedeckt ausgewiesen)',
  },
  'note-population-outside-to': {
    en: 'population {n} lies outside every to-area (reported as uncovered)',
    de: '{n:number} Einwohnerinnen und Einwohner liegen außerhalb aller Zielgebiete (als nicht abgedeckt ausgewiesen)',
  },
  'note-unknown-codes': {
    en: '{n} row(s) name codes that are not in the layers',
    de: '{n:number} Zeile(n) nennen Schlüssel, die es in den Gliederungsebenen nicht gibt',
  },
  'note-negative-ignored': {
    en: '{n} negative count(s) ignored',
    de: '{n:number} negative Anzahl(en) nicht berücksichtigt',
  },
  'note-fallback-weights': {
    en: '{n} from-area(s) without {basis} use {fallback} weights',
    de: '{n:number} Ausgangsgebiet(e) ohne {basis} nutzen Gewichte nach {fallback}',
  },
  // The basis of a crosswalk's weights, the {basis} and {fallback} of note-fallback-weights
  'phrase-basis-area': { en: 'area', de: 'Fläche' },
  'phrase-basis-population': { en: 'population', de: 'Einwohner' },
  // A composite index (src/core/stats/composite.ts); {reason} as the definition gives it
  'note-excluded-area-not-in-data': {
    en: 'excluded area "{area}" ({reason}) is not in the data',
    de: 'Das ausgeschlossene Gebiet „{area}“ ({reason}) ist nicht in den Daten',
  },
  // Reallocation (src/services/reallocation.ts)
  'note-computed-from-estimates': {
    en: '{layer}: the values for {periods} are now computed from the estimates (same totals, status estimated).',
    de: '{layer}: Die Werte für {periods} werden jetzt aus den Schätzungen berechnet (gleiche Summen, Status geschätzt).',
  },
  'note-split-without-rounding': {
    en: 'some values of "{indicator}" are not whole numbers; they were split without rounding',
    de: 'Einige Werte von „{indicator}“ sind keine ganzen Zahlen; sie wurden ohne Runden aufgeteilt',
  },
} as const satisfies Record<string, CodeText>;
