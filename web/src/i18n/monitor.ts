// UI text of the phone, print and context work on the monitor (issue #15), kept in its own file
// beside de.ts/en.ts and merged into both dictionaries by index.ts. Keys follow the same scheme.
export const deMonitor = {
  'table.scrollHint': 'Die Tabelle hat {n} Spalten und ist breiter als der Bildschirm: seitlich wischen oder mit den Pfeiltasten verschieben.',
  'profile.parentCell': '{name} (übergeordnet)',
  'table.sortBy': 'Sortieren nach',
  'table.sortOption': '{col}, {dir}',
  'table.ascNumber': 'aufsteigend (kleinster zuerst)',
  'table.descNumber': 'absteigend (größter zuerst)',
  'table.ascText': 'A bis Z',
  'table.descText': 'Z bis A',
} as const;

export type MonitorKey = keyof typeof deMonitor;

export const enMonitor: Record<MonitorKey, string> = {
  'table.scrollHint': 'The table has {n} columns and is wider than the screen: swipe sideways or move it with the arrow keys.',
  'profile.parentCell': '{name} (parent area)',
  'table.sortBy': 'Sort by',
  'table.sortOption': '{col}, {dir}',
  'table.ascNumber': 'ascending (smallest first)',
  'table.descNumber': 'descending (largest first)',
  'table.ascText': 'A to Z',
  'table.descText': 'Z to A',
};
