// The vocabulary server and web app share: the closed sets of words the API answers with (value
// statuses, indicator types, polarities, confidentiality levels). Core validates input against
// these lists; answers carry the unions, not `string`. Pure: no imports.

/** The member of a closed list that a text names (a select's value, a URL parameter), or undefined. */
export function oneOf<T extends string>(list: readonly T[], text: string): T | undefined {
  return list.find((x) => x === text);
}

/** The roles of a user account, from most to least rights. */
export const ROLES = ['admin', 'steward', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const INDICATOR_TYPES = ['count', 'ratio', 'mean', 'value'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export const CONFIDENTIALITY = ['public', 'internal', 'restricted'] as const;
export type Confidentiality = (typeof CONFIDENTIALITY)[number];
/** The same union under the name the answers used first. */
export type ConfidentialityLevel = Confidentiality;

const POLARITIES = ['higher_is_better', 'higher_is_worse', 'neutral'] as const;
export type Polarity = (typeof POLARITIES)[number];

export const PERIODICITIES = ['daily', 'monthly', 'quarterly', 'yearly', 'school_year', 'irregular'] as const;

/** Why a value is shown or not: flags for shown values, reasons for values that are not. */
export type ValueStatus = 'final' | 'provisional' | 'estimated' | 'suppressed' | 'missing' | 'below_min_base';

/**
 * Official statistical symbols (Zeichenerklärung of the statistical offices) a value of each status
 * carries in tables, maps and exports, on the server and in the web app alike.
 */
export const STATUS_SYMBOLS: Record<ValueStatus, string> = {
  final: '',
  provisional: 'p',
  estimated: 's',
  suppressed: '.',
  below_min_base: '/',
  missing: '…',
};

/** Why a value is (or would be) withheld by disclosure control (Geheimhaltung). */
export type DisclosureMark = 'primary' | 'secondary';

/** The youth forum: a binding answer's status, who raised a topic, a topic's moderation. */
export const ANSWER_STATUSES = ['in_pruefung', 'wird_umgesetzt', 'umgesetzt', 'abgelehnt'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];
export const RAISED_BY = ['online', 'forum', 'school_class', 'youth_centre', 'other'] as const;
export type RaisedBy = (typeof RAISED_BY)[number];
const MODERATION_STATES = ['pending', 'published', 'rejected', 'merged'] as const;
export type Moderation = (typeof MODERATION_STATES)[number];
/** The only personal attribute stored with a support, optional. */
export const AGE_BANDS = ['unter_12', '12_14', '15_17', '18_27'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** The sealed office's run: why a record could not be counted (in the order of the checks), and how an address was matched. */
export const UNASSIGNABLE_REASONS = [
  'address_missing',
  'address_unmatched',
  'address_ambiguous',
  'outside_areas',
  'birthdate_invalid',
  'age_outside_bands',
  'category_unmapped',
] as const;
export type UnassignableReason = (typeof UNASSIGNABLE_REASONS)[number];
export const MATCH_METHODS = ['exact', 'normalised', 'fuzzy', 'base-number'] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];

/** Where a report stands: drafted, submitted for review, published. */
export type ReportStatus = 'draft' | 'review' | 'published';
