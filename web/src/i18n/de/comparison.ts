// German texts: the comparison between municipalities (Kommunalvergleich).

export const comparison = {
  'kv.title': 'Kommunalvergleich',
  'kv.intro':
    'Ihre Kommune im Vergleich mit bis zu zehn anderen Kommunen: Standardindikatoren im Zeitverlauf, ähnliche Kommunen und eine Rangliste. Jede Kommune berechnet ihre Werte selbst und veröffentlicht nur, was öffentlich ist; geheim gehaltene Werte bleiben geheim.',
  'kv.unavailableTitle': 'Kommunalvergleich nicht verfügbar',
  'kv.unavailable':
    'Der Kommunalvergleich braucht eine Installation mit mehreren Kommunen (PostgreSQL-Server mit Mandanten). Diese Installation hält nur eine Kommune.',
  'kv.nothingPublished': 'Noch hat keine Kommune Werte für den Vergleich veröffentlicht.',
  'kv.ownNotPublished':
    'Ihre Kommune hat noch keine Werte für den Vergleich veröffentlicht; gezeigt werden nur die anderen Kommunen.',
  'kv.chooseMunicipalities': 'Vergleichskommunen (höchstens {n})',
  'kv.chosen': '{n} von höchstens {max} ausgewählt',
  'kv.noOthers': 'Keine andere Kommune hat Werte veröffentlicht.',
  'kv.chooseIndicators': 'Standardindikatoren',
  'kv.noIndicators': 'Wählen Sie mindestens einen Standardindikator.',
  'kv.seriesTitle': 'Zeitverlauf',
  'kv.basis': 'Definition nach: {basis}.',
  'kv.chartLabel': 'Liniendiagramm {indicator}: {names}. Die Werte stehen auch in der Tabelle darunter.',
  'kv.table': 'Werte als Tabelle',
  'kv.municipality': 'Kommune',
  'kv.own': 'Ihre Kommune',
  'kv.similarTitle': 'Ähnliche Kommunen',
  'kv.similarMethod':
    'Verfahren: Jeder gewählte Indikator wird über die {n} Kommunen mit vollständigen Werten am {date} z-standardisiert (Mittelwert 0, Standardabweichung 1 der Grundgesamtheit); geordnet nach dem euklidischen Abstand zu Ihrer Kommune – je kleiner, desto ähnlicher.',
  'kv.similarNoCommon':
    'Es gibt keinen Stichtag, an dem Ihre Kommune und eine andere für alle gewählten Indikatoren Werte haben.',
  'kv.similarNoOwn': 'Ihre Kommune hat für die gewählten Indikatoren keine Werte veröffentlicht.',
  'kv.similarConstant': '{n} Indikator(en) ohne Streuung blieben unberücksichtigt.',
  'kv.distance': 'Abstand {d}',
  'kv.add': 'Zum Vergleich hinzufügen',
  'kv.addNamed': 'Zum Vergleich hinzufügen: {name}',
  'kv.rankingTitle': 'Rangliste',
  'kv.rankingCaption': 'Rangliste {indicator} am {date}',
  'kv.rankingEmpty': 'Für diese Auswahl gibt es keine veröffentlichten Werte.',
  'kv.level': 'Ebene',
  'kv.levelTerritory': 'Gesamte Kommune',
  'kv.levelDistrict': 'Stadtbezirke (soweit veröffentlicht)',
  'kv.referenceDate': 'Stichtag',
  'kv.rank': 'Rang',
  'kv.rankTied': '{rank} (geteilt)',
  'kv.status': 'Status',
  'kv.rankingNote':
    'Geordnet vom höchsten zum niedrigsten Wert; gleiche Werte teilen sich einen Rang. Geheim gehaltene Werte haben keinen Rang. Richtung des Indikators: {polarity}.',
  'kv.polarity.higher_is_better': 'höher ist günstiger',
  'kv.polarity.higher_is_worse': 'höher ist ungünstiger',
  'kv.polarity.neutral': 'ohne Wertung',
} as const;
