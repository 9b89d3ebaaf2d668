// The types of a disclosure pattern (services/disclosure.ts), apart from the code that builds
// it, so that the read snapshot can hold patterns without importing the disclosure use cases.
import type { LayerVersionRow } from '../store/catalog.ts';
import type { DisclosureProtect } from '../core/indicators.ts';
import type { DisclosureRule, LinkedTables, Pattern, PrimaryReason } from '../core/disclosure/model.ts';

export interface EffectiveRule {
  rule: DisclosureRule;
  protect: DisclosureProtect;
  from: 'indicator' | 'department';
}

/** A set of stored boundary versions valid together: each evaluates the same source observations. */
export interface World {
  /** A date inside it (the period's reference date for the first). */
  date: string;
  signature: string;
}

export interface IndicatorPattern {
  indicator: string;
  period: string;
  rule: EffectiveRule;
  tables: LinkedTables;
  pattern: Pattern;
  primary: Map<string, PrimaryReason>;
  worlds: World[];
  /** Data versions of the period's observations (for the signature of a date). */
  dataVersions: LayerVersionRow[];
  secondaryValue: number;
  /** Relations the model could not state exactly (documented residual risk), for the audit report. */
  notes: string[];
  /** Seconds to build and protect. */
  seconds: number;
}
