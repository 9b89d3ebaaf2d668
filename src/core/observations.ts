// Observation records as they travel from readers to the import service.

const OBSERVATION_STATUSES = ['final', 'provisional', 'estimated', 'suppressed', 'missing'] as const;
export type ObservationStatus = (typeof OBSERVATION_STATUSES)[number];

/** A parsed value cell: a number with its status, or no number with the reason. */
export interface ParsedValue {
  value: number | null;
  status: ObservationStatus;
  /** Why there is no value (missing), or a note on the status. */
  reason?: string;
}

export interface ObservationRecord {
  indicator: string;
  /** Area code as written (a string: leading zeros matter). */
  area: string;
  /** Period as written; the service canonicalises it. */
  period: string;
  /** Breakdown members by dimension key, e.g. { altersgruppe: "unter6" }. */
  members: Record<string, string>;
  value: number | null;
  status: ObservationStatus;
  reason?: string;
  /** Base (e.g. population) for directly imported means and ratios. */
  base?: number | null;
  /** Where the record came from, for error messages. */
  line?: number;
}
