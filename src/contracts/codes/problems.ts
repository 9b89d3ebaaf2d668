// Codes of the problems found in input (files, requests, definitions): `Problem.code`
// (src/core/problems.ts). A problem keeps its English `reason`, which names the particulars
// (values, counts, positions); the code's text says what kind of problem it is, in German or
// English, for the web app's and the CLI's lists. Where a problem carries `params`, its
// reader may word it more closely (e.g. the period of `no-data`).
import type { CodeText } from './define.ts';

export const PROBLEM_CODES = {
  // Files and their encoding
  'file-not-found': { en: 'The file does not exist.', de: 'Die Datei gibt es nicht.' },
  'file-unreadable': { en: 'The file cannot be read.', de: 'Die Datei lässt sich nicht lesen.' },
  'unreadable-file': { en: 'The file cannot be read.', de: 'Die Datei lässt sich nicht lesen.' },
  'not-a-file': { en: 'The path is not a file.', de: 'Der Pfad ist keine Datei.' },
  'file-too-large': { en: 'The file is too large.', de: 'Die Datei ist zu groß.' },
  'empty-body': { en: 'The request has no file in its body.', de: 'Die Anfrage enthält keine Datei.' },
  empty: { en: 'The input is empty.', de: 'Die Eingabe ist leer.' },
  'bad-encoding': { en: 'The text is not valid UTF-8.', de: 'Der Text ist kein gültiges UTF-8.' },
  'unknown-encoding': {
    en: 'Unknown or unsupported character encoding.',
    de: 'Unbekannte oder nicht unterstützte Zeichenkodierung.',
  },
  'unsupported-encoding': { en: 'Unsupported character encoding.', de: 'Nicht unterstützte Zeichenkodierung.' },
  'encoding-guessed': { en: 'The character encoding was guessed.', de: 'Die Zeichenkodierung wurde erschlossen.' },
  'nul-character': { en: 'The text contains a NUL character.', de: 'Der Text enthält ein NUL-Zeichen.' },
  'lone-surrogate': { en: 'The text contains half of a character.', de: 'Der Text enthält ein halbes Zeichen.' },
  'unknown-format': { en: 'Unsupported file type.', de: 'Nicht unterstützter Dateityp.' },
  'unsupported-format': { en: 'Unsupported file type.', de: 'Nicht unterstützter Dateityp.' },
  'bad-format': { en: 'The file has the wrong format.', de: 'Die Datei hat das falsche Format.' },
  'bad-json': { en: 'The text is not valid JSON.', de: 'Der Text ist kein gültiges JSON.' },
  'bad-yaml': { en: 'The text is not valid YAML.', de: 'Der Text ist kein gültiges YAML.' },
  'bad-xlsx': { en: 'The Excel file cannot be read.', de: 'Die Excel-Datei lässt sich nicht lesen.' },
  'bad-zip': { en: 'The ZIP file cannot be unpacked.', de: 'Die ZIP-Datei lässt sich nicht entpacken.' },
  'too-deeply-nested': { en: 'The document is nested too deeply.', de: 'Das Dokument ist zu tief verschachtelt.' },
  'bad-shape': {
    en: 'The document does not have the expected shape.',
    de: 'Das Dokument hat nicht die erwartete Form.',
  },
  'more-problems': { en: 'Further problems not listed.', de: 'Weitere Probleme, nicht aufgeführt.' },
  'more-issues': { en: 'Further geometry problems not listed.', de: 'Weitere Geometrieprobleme, nicht aufgeführt.' },
  // Tables
  'csv-syntax': { en: 'The CSV file is malformed here.', de: 'Die CSV-Datei ist hier fehlerhaft.' },
  'header-too-long': { en: 'The header line is too long.', de: 'Die Kopfzeile ist zu lang.' },
  'no-header': { en: 'The table has no header line.', de: 'Die Tabelle hat keine Kopfzeile.' },
  'sheet-not-found': { en: 'The workbook has no such sheet.', de: 'Die Arbeitsmappe hat dieses Tabellenblatt nicht.' },
  'column-count': {
    en: 'The row has a different number of columns than the header.',
    de: 'Die Zeile hat eine andere Spaltenzahl als die Kopfzeile.',
    detail: {
      en: 'the row has {columns} columns, the header has {header}',
      de: 'Die Zeile hat {columns} Spalten, die Kopfzeile {header}.',
    },
  },
  'duplicate-column': { en: 'A column name appears twice.', de: 'Ein Spaltenname kommt doppelt vor.' },
  'empty-column-name': { en: 'A column has no name.', de: 'Eine Spalte hat keinen Namen.' },
  'missing-column': {
    en: 'A required column is missing.',
    de: 'Eine erforderliche Spalte fehlt.',
    detail: { en: 'the column "{column}" is missing', de: 'Die Spalte „{column}“ fehlt.' },
  },
  'column-collision': {
    en: 'An added column would have the name of an input column.',
    de: 'Eine hinzugefügte Spalte hätte den Namen einer Eingabespalte.',
  },
  'bad-column-prefix': { en: 'The column prefix is not allowed.', de: 'Das Spaltenpräfix ist nicht zulässig.' },
  'unknown-layout': {
    en: 'The layout of the table is not recognised.',
    de: 'Der Aufbau der Tabelle ist nicht erkennbar.',
  },
  'several-value-columns': { en: 'The file has several value columns.', de: 'Die Datei hat mehrere Wertspalten.' },
  'bad-dimension-column': { en: 'The column is not a dimension key.', de: 'Die Spalte ist kein Merkmalsschlüssel.' },
  // Values in cells
  'bad-number': { en: 'Not a number.', de: 'Keine Zahl.' },
  'bad-date': { en: 'Not a date.', de: 'Kein Datum.' },
  'bad-period': { en: 'Not a period.', de: 'Kein Zeitraum.' },
  'empty-period': { en: 'The period is empty.', de: 'Der Zeitraum ist leer.' },
  'bad-base': { en: 'The base must be a non-negative number.', de: 'Die Basis muss eine nicht negative Zahl sein.' },
  'bad-status': { en: 'Unknown status.', de: 'Unbekannter Status.' },
  'bad-value': { en: 'The value is not allowed.', de: 'Der Wert ist nicht zulässig.' },
  'bad-key': { en: 'Not a key (lower case letters, digits, _).', de: 'Kein Schlüssel (Kleinbuchstaben, Ziffern, _).' },
  'bad-name': { en: 'The name is not allowed.', de: 'Der Name ist nicht zulässig.' },
  'bad-type': { en: 'Not a type.', de: 'Kein Typ.' },
  'bad-polarity': { en: 'Not a polarity.', de: 'Keine Polarität.' },
  'bad-decimals': { en: 'Not a number of decimals from 0 to 6.', de: 'Keine Zahl der Nachkommastellen von 0 bis 6.' },
  'bad-amount': { en: 'Not an amount in EUR.', de: 'Kein Betrag in EUR.' },
  'bad-capacity': {
    en: 'The capacity must be a non-negative number.',
    de: 'Die Kapazität muss eine nicht negative Zahl sein.',
  },
  'bad-residents': { en: 'Not a number of residents.', de: 'Keine Zahl von Einwohnerinnen und Einwohnern.' },
  'bad-url': { en: 'Not an http(s) address.', de: 'Keine http(s)-Adresse.' },
  'field-too-long': { en: 'The field is too long.', de: 'Das Feld ist zu lang.' },
  'too-long': { en: 'The text is too long.', de: 'Der Text ist zu lang.' },
  'missing-field': { en: 'A required field is missing.', de: 'Ein erforderliches Feld fehlt.' },
  'unknown-link': { en: 'The link names nothing that exists.', de: 'Der Verweis nennt nichts, was es gibt.' },
  'contact-data': {
    en: 'The text contains an e-mail address or a phone number.',
    de: 'Der Text enthält eine E-Mail-Adresse oder eine Telefonnummer.',
  },
  'negative-count': {
    en: 'A count cannot be negative.',
    de: 'Eine Anzahl kann nicht negativ sein.',
    detail: {
      en: '"{indicator}" is a count and cannot be negative',
      de: '„{indicator}“ ist eine Anzahl und kann nicht negativ sein.',
    },
  },
  'status-without-value': {
    en: 'The observation needs a value for its status.',
    de: 'Die Beobachtung braucht für ihren Status einen Wert.',
    detail: {
      en: 'a {status} observation needs a value',
      de: 'Eine Beobachtung mit dem Status {status} braucht einen Wert.',
    },
  },
  'value-with-status': {
    en: 'The observation carries a value its status does not allow.',
    de: 'Die Beobachtung trägt einen Wert, den ihr Status nicht erlaubt.',
    detail: {
      en: 'a {status} observation carries no value',
      de: 'Eine Beobachtung mit dem Status {status} trägt keinen Wert.',
    },
  },
  'duplicate-observation': {
    en: 'The same observation appears more than once.',
    de: 'Dieselbe Beobachtung kommt mehrfach vor.',
    detail: {
      en: 'the same observation (indicator, area, period, breakdown) appears {n} times, on lines {lines}',
      de: 'Dieselbe Beobachtung (Indikator, Gebiet, Zeitraum, Gliederung) kommt {n}-mal vor, in den Zeilen {lines}.',
    },
  },
  'duplicate-key': { en: 'The key is given twice.', de: 'Der Schlüssel ist doppelt angegeben.' },
  'bad-record': { en: 'The record is not valid.', de: 'Der Datensatz ist ungültig.' },
  // Requests, options, definitions
  'bad-request': { en: 'The request is not valid.', de: 'Die Anfrage ist ungültig.' },
  'bad-input': { en: 'The input is not valid.', de: 'Die Eingabe ist ungültig.' },
  'bad-option': { en: 'The options do not fit together.', de: 'Die Optionen passen nicht zusammen.' },
  'missing-option': { en: 'A required option is missing.', de: 'Eine erforderliche Option fehlt.' },
  usage: { en: 'The command is not used correctly.', de: 'Der Befehl ist nicht richtig aufgerufen.' },
  'invalid-definition': { en: 'The definition is not valid.', de: 'Die Definition ist ungültig.' },
  'invalid-index-definition': { en: 'The index definition is not valid.', de: 'Die Indexdefinition ist ungültig.' },
  'invalid-cockpit': { en: 'The cockpit configuration is not valid.', de: 'Die Cockpit-Konfiguration ist ungültig.' },
  'invalid-publisher': {
    en: 'The publisher settings are not valid.',
    de: 'Die Angaben zur veröffentlichenden Stelle sind ungültig.',
  },
  'invalid-indicator': { en: 'The indicator definition is not valid.', de: 'Die Indikatordefinition ist ungültig.' },
  'catalog-not-configured': {
    en: 'The open-data catalogue is not configured.',
    de: 'Der Open-Data-Katalog ist nicht eingerichtet.',
  },
  'weak-password': { en: 'The password is too weak.', de: 'Das Passwort ist zu schwach.' },
  'bad-official-key': {
    en: 'Neither an AGS (8 digits) nor an ARS (12 digits).',
    de: 'Weder ein AGS (8 Ziffern) noch ein ARS (12 Ziffern).',
  },
  'bad-tenant-key': { en: 'Not a tenant key.', de: 'Kein Mandantenschlüssel.' },
  'bad-tenant-name': {
    en: 'The tenant name must have 1 to 200 characters.',
    de: 'Der Name des Mandanten muss 1 bis 200 Zeichen haben.',
  },
  'bad-tenant-export': { en: 'Not a complete tenant export.', de: 'Kein vollständiger Mandantenexport.' },
  // The shape of a report definition (src/core/report/model.ts), as the report editor lists it
  'report-key-invalid': {
    en: 'the report key "{key}" must be lower-case letters, digits, - or _',
    de: 'Der Berichtsschlüssel „{key}“ darf nur Kleinbuchstaben, Ziffern, - oder _ enthalten',
  },
  'report-needs-title': { en: 'the report needs a title', de: 'Der Bericht braucht einen Titel' },
  'section-needs-title': { en: 'section {n} needs a title', de: 'Abschnitt {n} braucht einen Titel' },
  'block-key-invalid': {
    en: 'the block key "{block}" must be letters, digits, - or _',
    de: 'Der Bausteinschlüssel „{block}“ darf nur Buchstaben, Ziffern, - oder _ enthalten',
  },
  'block-key-twice': {
    en: 'the block key "{block}" is used twice',
    de: 'Der Bausteinschlüssel „{block}“ ist doppelt vergeben',
  },
  'block-unknown-type': {
    en: 'block "{block}": unknown type "{type}"',
    de: 'Baustein „{block}“: unbekannter Typ „{type}“',
  },
  'block-needs-indicators': {
    en: 'block "{block}": "{field}" must be a non-empty list of indicator keys',
    de: 'Baustein „{block}“: „{field}“ muss eine nicht leere Liste von Indikatorschlüsseln sein',
  },
  'block-needs-areas': {
    en: 'block "{block}": "{field}" must be "all" or a list of area codes',
    de: 'Baustein „{block}“: „{field}“ muss „all“ oder eine Liste von Gebietsschlüsseln sein',
  },
  'block-needs-text': {
    en: 'block "{block}": "{field}" must be text',
    de: 'Baustein „{block}“: „{field}“ muss Text sein',
  },
  'block-needs-classes': {
    en: 'block "{block}": "{field}" must be a whole number from 2 to 9',
    de: 'Baustein „{block}“: „{field}“ muss eine ganze Zahl von 2 bis 9 sein',
  },
  'block-needs-boolean': {
    en: 'block "{block}": "{field}" must be true or false',
    de: 'Baustein „{block}“: „{field}“ muss true oder false sein',
  },
  'block-field-missing': { en: 'block "{block}": "{field}" is missing', de: 'Baustein „{block}“: „{field}“ fehlt' },
  'block-bad-view': {
    en: 'block "{block}": "view" must be table, bar or line',
    de: 'Baustein „{block}“: „view“ muss table, bar oder line sein',
  },
  'report-block-invalid': { en: 'A block of the report is not valid.', de: 'Ein Baustein des Berichts ist ungültig.' },
  // Indicators, dimensions, members
  'unknown-indicator': {
    en: 'Unknown indicator.',
    de: 'Unbekannter Indikator.',
    detail: { en: 'the indicator "{indicator}" does not exist', de: 'Den Indikator „{indicator}“ gibt es nicht.' },
  },
  'unknown-reference': {
    en: 'The indicator refers to an unknown indicator.',
    de: 'Der Indikator verweist auf einen unbekannten Indikator.',
  },
  'bad-reference': {
    en: 'The indicator refers to an indicator of the wrong type.',
    de: 'Der Indikator verweist auf einen Indikator des falschen Typs.',
  },
  'bad-filter': {
    en: 'The filter names no dimension of the indicator.',
    de: 'Der Filter nennt kein Merkmal des Indikators.',
  },
  'derived-indicator': {
    en: 'The indicator is computed, not imported.',
    de: 'Der Indikator wird berechnet, nicht importiert.',
    detail: {
      en: '"{indicator}" is computed from {numerator} / {denominator}; its values cannot be imported',
      de: '„{indicator}“ wird aus {numerator} / {denominator} berechnet; seine Werte lassen sich nicht importieren.',
    },
  },
  'incompatible-change': {
    en: 'The indicator has observations; its type and dimensions cannot change.',
    de: 'Der Indikator hat Beobachtungen; Typ und Merkmale lassen sich nicht mehr ändern.',
  },
  'new-department': {
    en: 'The department did not exist and was created.',
    de: 'Den Fachbereich gab es nicht; er wurde angelegt.',
  },
  'unknown-dimension': {
    en: 'Unknown dimension.',
    de: 'Unbekanntes Merkmal.',
    detail: { en: '"{dimension}" is not a known dimension', de: '„{dimension}“ ist kein bekanntes Merkmal.' },
  },
  'not-a-dimension': {
    en: 'Not a dimension of the indicator.',
    de: 'Kein Merkmal des Indikators.',
    detail: {
      en: '"{indicator}" has no dimension {dimension}; leave this cell empty',
      de: '„{indicator}“ hat kein Merkmal {dimension}; lassen Sie diese Zelle leer.',
    },
  },
  'missing-dimension': {
    en: 'A dimension of the indicator is missing.',
    de: 'Ein Merkmal des Indikators fehlt.',
    detail: {
      en: '"{indicator}" is broken down by {dimension}, but the file has no column {dimension}',
      de: '„{indicator}“ ist nach {dimension} gegliedert, aber die Datei hat keine Spalte {dimension}.',
    },
  },
  'unknown-member': {
    en: 'Not a member of the dimension.',
    de: 'Keine Ausprägung des Merkmals.',
    detail: {
      en: '"{member}" is not a member of the dimension "{dimension}"',
      de: '„{member}“ ist keine Ausprägung des Merkmals „{dimension}“.',
    },
  },
  'missing-member': {
    en: 'The member of a dimension is empty.',
    de: 'Die Ausprägung eines Merkmals ist leer.',
    detail: {
      en: '"{indicator}" is broken down by {dimension}; the member is empty',
      de: '„{indicator}“ ist nach {dimension} gegliedert; die Ausprägung ist leer.',
    },
  },
  'bad-mapping': { en: 'The mapping cannot be read.', de: 'Die Zuordnung lässt sich nicht lesen.' },
  'no-data': { en: 'No values.', de: 'Keine Werte.' },
  'not-public': { en: 'The indicator is not public.', de: 'Der Indikator ist nicht öffentlich.' },
  'fixed-component-period': {
    en: 'A component has its own period.',
    de: 'Eine Komponente hat einen eigenen Zeitraum.',
  },
  'too-few-areas': { en: 'Too few areas have every indicator.', de: 'Zu wenige Gebiete haben alle Indikatoren.' },
  'different-layers': {
    en: 'The typologies classify different layers.',
    de: 'Die Typologien klassifizieren verschiedene Gliederungsebenen.',
  },
  // Spatial structure: layers, areas, versions
  'unknown-layer': {
    en: 'Unknown layer.',
    de: 'Unbekannte Gliederungsebene.',
    detail: { en: 'the layer "{layer}" does not exist', de: 'Die Gliederungsebene „{layer}“ gibt es nicht.' },
  },
  'bad-layer': { en: 'Not a layer reference.', de: 'Kein Verweis auf eine Gliederungsebene.' },
  'bad-layer-key': { en: 'Not a valid layer key.', de: 'Kein gültiger Schlüssel einer Gliederungsebene.' },
  'no-layer': { en: 'No layer to assign areas of.', de: 'Keine Gliederungsebene, deren Gebiete sich zuordnen lassen.' },
  'no-city-layer': {
    en: 'No layer has exactly one area (the whole city).',
    de: 'Keine Gliederungsebene hat genau ein Gebiet (die Gesamtstadt).',
  },
  'kind-mismatch': { en: 'The layer is of another kind.', de: 'Die Gliederungsebene ist von anderer Art.' },
  'overlay-parent': {
    en: 'An overlay layer has no parent layer.',
    de: 'Eine Überlagerungsebene hat keine übergeordnete Ebene.',
  },
  'parent-mismatch': { en: 'The parent layer differs.', de: 'Die übergeordnete Ebene weicht ab.' },
  'no-boundary-version': {
    en: 'The layer has no boundary version on that date.',
    de: 'Die Gliederungsebene hat an diesem Datum keinen Gebietsstand.',
  },
  'no-parent-version': {
    en: 'The parent layer has no boundary version on that date.',
    de: 'Die übergeordnete Ebene hat an diesem Datum keinen Gebietsstand.',
  },
  'unknown-area': {
    en: 'Unknown area.',
    de: 'Unbekanntes Gebiet.',
    detail: {
      en: 'no area "{area}" in layer "{layer}"',
      de: 'Ein Gebiet „{area}“ gibt es in der Gliederungsebene „{layer}“ nicht.',
    },
  },
  'ambiguous-area': { en: 'Several areas fit.', de: 'Mehrere Gebiete passen.' },
  'area-in-use': {
    en: 'The area has observations and cannot be left out.',
    de: 'Das Gebiet hat Beobachtungen und kann nicht wegfallen.',
  },
  'empty-area': { en: 'The area code is empty.', de: 'Der Gebietsschlüssel ist leer.' },
  'empty-code': { en: 'The area has no code.', de: 'Das Gebiet hat keinen Schlüssel.' },
  'bad-code': { en: 'The code is not text or a number.', de: 'Der Schlüssel ist weder Text noch Zahl.' },
  'numeric-code': {
    en: 'Codes are stored as numbers: leading zeros may be lost.',
    de: 'Schlüssel sind als Zahlen gespeichert: führende Nullen können fehlen.',
  },
  'duplicate-code': { en: 'The code appears twice.', de: 'Der Schlüssel kommt doppelt vor.' },
  'empty-name': { en: 'The area has no name.', de: 'Das Gebiet hat keinen Namen.' },
  'missing-name': { en: 'The name is missing.', de: 'Der Name fehlt.' },
  'no-name-property': { en: 'No name property found.', de: 'Keine Eigenschaft mit dem Namen gefunden.' },
  'missing-parent': { en: 'The area has no parent code.', de: 'Das Gebiet hat keinen übergeordneten Schlüssel.' },
  'unknown-parent': {
    en: 'The parent code does not exist in the parent layer.',
    de: 'Den übergeordneten Schlüssel gibt es in der übergeordneten Ebene nicht.',
    detail: {
      en: 'the parent code {parent} of area {area} does not exist in layer "{layer}" (version from {version})',
      de: 'Den übergeordneten Schlüssel {parent} des Gebiets {area} gibt es in der Gliederungsebene „{layer}“ (Stand ab {version:date}) nicht.',
    },
  },
  'parent-ignored': {
    en: 'The layer has no parent layer; the parent is ignored.',
    de: 'Die Ebene hat keine übergeordnete Ebene; der übergeordnete Schlüssel wird nicht beachtet.',
    detail: {
      en: 'area {area} names a parent, but the layer has no parent layer; the parent is ignored',
      de: 'Das Gebiet {area} nennt ein übergeordnetes Gebiet, aber die Gliederungsebene hat keine übergeordnete Ebene; es wird nicht beachtet.',
    },
  },
  'outside-parent': {
    en: 'The area lies outside its parent.',
    de: 'Das Gebiet liegt außerhalb des übergeordneten Gebiets.',
    detail: {
      en: 'area {area} lies {share} % outside its parent {parent}',
      de: 'Das Gebiet {area} liegt zu {share:number} % außerhalb seines übergeordneten Gebiets {parent}.',
    },
  },
  'slightly-outside-parent': {
    en: 'The area lies slightly outside its parent.',
    de: 'Das Gebiet liegt geringfügig außerhalb des übergeordneten Gebiets.',
    detail: {
      en: 'area {area} lies {share} % outside its parent {parent} (digitising slivers?)',
      de: 'Das Gebiet {area} liegt zu {share:number} % außerhalb seines übergeordneten Gebiets {parent} (Digitalisierungsungenauigkeit?).',
    },
  },
  'unknown-property': { en: 'No area has that property.', de: 'Kein Gebiet hat diese Eigenschaft.' },
  'no-area-variable': { en: 'The row has no regional variable.', de: 'Die Zeile hat keine regionale Variable.' },
  'unmapped-variable': {
    en: 'The variable is not a dimension of the indicator.',
    de: 'Die Variable ist kein Merkmal des Indikators.',
  },
  'areas-skipped': { en: 'Rows of unknown areas were skipped.', de: 'Zeilen unbekannter Gebiete wurden übersprungen.' },
  'totals-skipped': { en: 'Rows of totals were not imported.', de: 'Zeilen mit Summen wurden nicht importiert.' },
  'values-skipped': {
    en: 'Values without a mapping were not imported.',
    de: 'Werte ohne Zuordnung wurden nicht importiert.',
  },
  // Geometry and coordinates
  'not-a-feature-collection': {
    en: 'The file is not a GeoJSON FeatureCollection.',
    de: 'Die Datei ist keine GeoJSON-FeatureCollection.',
  },
  'bad-feature': { en: 'Not a GeoJSON Feature.', de: 'Kein GeoJSON-Feature.' },
  'no-features': { en: 'The file contains no features.', de: 'Die Datei enthält keine Objekte.' },
  'bad-geometry': { en: 'Not a GeoJSON geometry.', de: 'Keine GeoJSON-Geometrie.' },
  'unsupported-geometry': {
    en: 'Areas need a Polygon or MultiPolygon.',
    de: 'Gebiete brauchen ein Polygon oder MultiPolygon.',
  },
  'no-geometry': { en: 'The layer has no geometry.', de: 'Die Gliederungsebene hat keine Geometrie.' },
  'not-a-point': { en: 'Not a Point.', de: 'Kein Punkt.' },
  'bad-coordinates': { en: 'The coordinates are not valid.', de: 'Die Koordinaten sind ungültig.' },
  'bad-coordinate': { en: 'Not a coordinate.', de: 'Keine Koordinate.' },
  'non-finite-coordinate': {
    en: 'A position is not a pair of finite numbers.',
    de: 'Eine Position ist kein Paar endlicher Zahlen.',
  },
  'too-few-positions': { en: 'The geometry has too few positions.', de: 'Die Geometrie hat zu wenige Positionen.' },
  'ring-not-closed': { en: 'A ring is not closed.', de: 'Ein Ring ist nicht geschlossen.' },
  'zero-area': { en: 'The polygon has zero area.', de: 'Das Polygon hat keine Fläche.' },
  'self-intersection': { en: 'The ring crosses itself.', de: 'Der Ring schneidet sich selbst.' },
  'self-touch': { en: 'The ring touches itself.', de: 'Der Ring berührt sich selbst.' },
  'rings-touch': { en: 'Two rings touch.', de: 'Zwei Ringe berühren sich.' },
  'hole-outside-shell': {
    en: 'A hole lies outside the outer ring.',
    de: 'Ein Loch liegt außerhalb des äußeren Rings.',
  },
  'polygons-overlap': {
    en: 'Polygons of the MultiPolygon overlap.',
    de: 'Polygone des MultiPolygons überlappen sich.',
  },
  'bad-crs': { en: 'Unknown coordinate reference system.', de: 'Unbekanntes Koordinatenreferenzsystem.' },
  'unknown-crs': { en: 'Unknown coordinate reference system.', de: 'Unbekanntes Koordinatenreferenzsystem.' },
  'unsupported-crs': {
    en: 'Unsupported coordinate reference system.',
    de: 'Nicht unterstütztes Koordinatenreferenzsystem.',
  },
  'mixed-crs': {
    en: 'Features declare different coordinate reference systems.',
    de: 'Objekte geben verschiedene Koordinatenreferenzsysteme an.',
  },
  'crs-conflict': {
    en: 'The coordinate reference system contradicts the file.',
    de: 'Das Koordinatenreferenzsystem widerspricht der Datei.',
  },
  'crs-mismatch': {
    en: 'The coordinates do not fit the coordinate reference system.',
    de: 'Die Koordinaten passen nicht zum Koordinatenreferenzsystem.',
  },
  'coordinates-crs': {
    en: 'The coordinates do not fit the coordinate reference system.',
    de: 'Die Koordinaten passen nicht zum Koordinatenreferenzsystem.',
  },
  'outside-europe': { en: 'The coordinates lie outside Europe.', de: 'Die Koordinaten liegen außerhalb Europas.' },
  'coordinates-outside': {
    en: 'No point lies in any area.',
    de: 'Kein Punkt liegt in einem Gebiet.',
    detail: {
      en: 'none of the {n} points lies in any area of any layer',
      de: 'Keiner der {n:number} Punkte liegt in einem Gebiet irgendeiner Gliederungsebene.',
    },
  },
  outside: {
    en: 'Points lie outside every area.',
    de: 'Punkte liegen außerhalb aller Gebiete.',
    detail: {
      en: '{n} facilities lie outside every area of "{layer}"',
      de: '{n:number} Einrichtung(en) liegen außerhalb aller Gebiete von „{layer}“ und werden dort nicht gezählt.',
    },
  },
  // Shapefiles
  'bad-shapefile': { en: 'The Shapefile cannot be read.', de: 'Das Shapefile lässt sich nicht lesen.' },
  'missing-dbf': { en: 'The .dbf file is missing.', de: 'Die .dbf-Datei fehlt.' },
  'missing-prj': { en: 'The .prj file is missing.', de: 'Die .prj-Datei fehlt.' },
  'dbf-mismatch': { en: 'The .dbf file does not match the shapes.', de: 'Die .dbf-Datei passt nicht zu den Formen.' },
  'shp-record-count': {
    en: 'Not every record of the Shapefile could be read.',
    de: 'Nicht jeder Datensatz des Shapefiles ließ sich lesen.',
  },
  // Address register and points
  'empty-street': { en: 'The street is empty.', de: 'Die Straße ist leer.' },
  'bad-house-number': { en: 'Not a house number.', de: 'Keine Hausnummer.' },
  'no-house-numbers': {
    en: 'No address has a house number.',
    de: 'Keine Adresse hat eine Hausnummer.',
    detail: {
      en: 'none of the {n} addresses has a house number',
      de: 'Keine der {n:number} Adressen hat eine Hausnummer.',
    },
  },
  'bad-postcode': { en: 'Not a German postcode.', de: 'Keine deutsche Postleitzahl.' },
  'empty-residents': {
    en: 'Addresses have an empty resident count.',
    de: 'Adressen haben eine leere Einwohnerzahl.',
    detail: {
      en: '{n} address(es) have an empty resident count',
      de: '{n:number} Adresse(n) haben eine leere Einwohnerzahl; sie zählen mit 0 Einwohnerinnen und Einwohnern.',
    },
  },
  'duplicate-address': { en: 'Addresses appear more than once.', de: 'Adressen kommen mehrfach vor.' },
  'register-differs': {
    en: 'The register gives other area codes than the geometry.',
    de: 'Das Register nennt andere Gebietsschlüssel als die Geometrie.',
    detail: {
      en: '{n} address(es) carry a {layer} code in the register that differs from the area containing their point',
      de: '{n:number} Adresse(n) tragen im Register einen Schlüssel für {layer}, der vom Gebiet ihres Punktes abweicht; der Schlüssel des Registers bleibt.',
    },
  },
  'unknown-address': {
    en: 'The address is not in the address register.',
    de: 'Die Adresse ist nicht im Adressregister.',
  },
  // Facilities and measures
  'missing-capacity': {
    en: 'Facilities have no capacity.',
    de: 'Einrichtungen haben keine Kapazität.',
    detail: {
      en: '{n} facilities have no capacity',
      de: '{n:number} Einrichtung(en) ohne Kapazität; die Plätze ihrer Gebiete gelten als fehlend.',
    },
  },
  'missing-category': {
    en: 'Facilities have no category.',
    de: 'Einrichtungen haben keine Kategorie.',
    detail: {
      en: '{n} facilities have no category; counted as "{category}"',
      de: '{n:number} Einrichtung(en) ohne Kategorie; gezählt als „{category}“.',
    },
  },
  'bad-area': { en: 'An area is written as layer:code.', de: 'Ein Gebiet wird als Ebene:Schlüssel geschrieben.' },
  'unknown-class': {
    en: 'Not a class of the indicator.',
    de: 'Keine Klasse des Indikators.',
    detail: { en: 'not a class of "{indicator}"', de: 'Keine Klasse von „{indicator}“.' },
  },
  'unknown-field': { en: 'Unknown field of action.', de: 'Unbekanntes Handlungsfeld.' },
  'unknown-target-group': { en: 'Unknown target group.', de: 'Unbekannte Zielgruppe.' },
  'unknown-priority-areas': { en: 'There are no such priority areas.', de: 'Diese Schwerpunktgebiete gibt es nicht.' },
  'not-360giving': { en: 'Not a 360Giving file.', de: 'Keine 360Giving-Datei.' },
  schema: { en: 'The file does not follow the 360Giving schema.', de: 'Die Datei folgt nicht dem 360Giving-Schema.' },
  // Comparison between municipalities
  'bad-standard-key': { en: 'Not a standard key.', de: 'Kein Schlüssel eines Standardindikators.' },
  'duplicate-standard': { en: 'A standard appears twice.', de: 'Ein Standardindikator kommt doppelt vor.' },
  'no-standards': { en: 'The file holds no standard indicator.', de: 'Die Datei enthält keinen Standardindikator.' },
  'unknown-standard': {
    en: 'The standard indicator no longer exists.',
    de: 'Den Standardindikator gibt es nicht mehr.',
  },
  'type-mismatch': {
    en: 'The standard and the indicator are of different types.',
    de: 'Standardindikator und Indikator sind von verschiedenem Typ.',
  },
  'unit-differs': {
    en: 'The standard and the indicator have different units.',
    de: 'Standardindikator und Indikator haben verschiedene Einheiten.',
    detail: {
      en: 'the standard\'s unit is "{standard}", the indicator\'s "{indicator}": check that they mean the same',
      de: 'Die Einheit des Standardindikators ist „{standard}“, die des Indikators „{indicator}“: Prüfen Sie, ob sie dasselbe meinen.',
    },
  },
  'own-not-published': {
    en: 'The own municipality publishes none of the indicators.',
    de: 'Die eigene Kommune veröffentlicht keinen der Indikatoren.',
  },
  'no-common-period': {
    en: 'No reference date at which the municipalities have every indicator.',
    de: 'Kein Stichtag, an dem die Kommunen alle Indikatoren haben.',
  },
  // Sign-in with an identity provider, external sources
  'oidc-claim': {
    en: 'The identity provider sent no user name.',
    de: 'Der Identitätsanbieter hat keinen Benutzernamen gesendet.',
  },
  'oidc-failed': {
    en: 'The identity provider did not confirm the sign-in.',
    de: 'Der Identitätsanbieter hat die Anmeldung nicht bestätigt.',
  },
  'oidc-state': {
    en: 'The sign-in was not started in this browser or took too long.',
    de: 'Die Anmeldung wurde nicht in diesem Browser begonnen oder hat zu lange gedauert.',
  },
  'graphql-errors': { en: 'The answer carries GraphQL errors.', de: 'Die Antwort enthält GraphQL-Fehler.' },
  'fetch-failed': {
    en: 'A page could not be fetched from the platform.',
    de: 'Eine Seite ließ sich von der Plattform nicht abrufen.',
  },
  'ambiguous-source': {
    en: 'The item was imported from several installations of the platform; name the installation.',
    de: 'Der Beitrag wurde aus mehreren Installationen der Plattform übernommen; nennen Sie die Installation.',
  },
  // Provider access to a tenant's data
  'bad-role': {
    en: 'A provider administrator may be granted the role viewer or analyst only.',
    de: 'Einer Administratorin oder einem Administrator des IT-Dienstleisters lässt sich nur die Rolle viewer oder analyst einräumen.',
  },
} as const satisfies Record<string, CodeText>;
