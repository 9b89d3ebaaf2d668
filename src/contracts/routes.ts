// The HTTP API by route: for each route the web app calls, its path parameters (named in the
// route), its query, its request body and its answer. The web app builds addresses from these
// routes (`apiPath` in web/src/api.ts) and gets the answer's type from the route; the server's
// handlers declare the same answers and bodies (`Answering`, `Taking` in src/http/contract.ts), so
// a changed answer fails the type check on both sides. Types only.
import type { Geometry } from 'geojson';
import type * as A from './answers/index.ts';
import type { IndexDefinition, IndexDefinitionInput } from '../core/stats/index-definition.ts';
import type { SensitivityResult } from '../core/stats/sensitivity.ts';
import type { Cockpit } from '../core/cockpit.ts';
import type { StoredMeasure, VocabularyEntry } from '../core/measures.ts';
import type { PublisherSettings } from '../core/publisher.ts';
import type { PublicForum, TopicLink } from '../core/forum.ts';

/** A query parameter as callers pass it; empty ones (undefined, null, '') are left out of the address. */
export type QueryValue = string | number | boolean | null | undefined;
/** A query whose names are not fixed (breakdown filters: one parameter per dimension). */
type OpenQuery = Record<string, QueryValue>;

/** The answer of a change that has nothing else to say. */
interface OkAnswer {
  ok: true;
}

/** The areas of a layer version with their geometry (none with `geometry=false`). */
export type AreaCollection = A.AreaFeatureCollection<Geometry>;

/** Reads: a boundary version by date, an indicator's breakdown filter. */
interface ValueQuery {
  indicator: string;
  layer: string;
  period?: string | null;
  at?: string | null;
}

interface ApiRoutes {
  // The catalogue
  'GET /api/indicators': { answer: { indicators: A.IndicatorInfo[] } };
  'GET /api/indicators/:key': { answer: A.IndicatorDetail };
  'GET /api/indicators/:key/disclosure': {
    query: { period: string; cells?: 'all' };
    answer: A.IndicatorDisclosureAnswer;
  };
  'GET /api/layers': { answer: { layers: A.LayerInfo[] } };
  'GET /api/layers/:layer/areas': { query: { at?: string; geometry?: boolean | 'false' }; answer: AreaCollection };
  'GET /api/places': { query: { q: string }; answer: A.PlaceSearchAnswer };

  // Values
  'GET /api/observations': { query: ValueQuery & OpenQuery; answer: A.ObservationsAnswer };
  'GET /api/timeseries': { query: ValueQuery & { area: string } & OpenQuery; answer: A.TimeSeriesAnswer };
  'GET /api/layers/:layer/areas/:area/profile': { query: { at?: string; theme?: string }; answer: A.ProfileAnswer };

  // Facilities
  'GET /api/facilities/sets': { answer: { sets: A.FacilitySetInfo[] } };
  'GET /api/facilities': {
    query: { set?: string; category?: string; layer?: string; area?: string; bbox?: string };
    answer: A.FacilityCollection;
  };

  // Comparison between municipalities
  'GET /api/comparison/standards': { answer: A.StandardsAnswer };
  'GET /api/comparison/municipalities': { answer: A.MunicipalitiesAnswer };
  'GET /api/comparison/compare': {
    query: { with?: string; indicators: string; period?: string };
    answer: A.CompareAnswer;
  };
  'GET /api/comparison/similar': {
    query: { indicators: string; k?: number; period?: string };
    answer: A.SimilarAnswer;
  };
  'GET /api/comparison/ranking': {
    query: { indicator: string; period?: string; level?: A.ComparisonLevel };
    answer: A.RankingAnswer;
  };

  // Analysis: composite indices, typologies, spatial structure
  'GET /api/analysis/templates': { answer: { templates: Record<string, IndexDefinitionInput> } };
  'GET /api/analysis/indices/:key': {
    answer: { key: string; version: number; definition: IndexDefinition; createdBy: string; createdAt: string };
  };
  'POST /api/analysis/index': { query: { period?: string }; body: unknown; answer: A.IndexAnswer };
  'POST /api/analysis/index/sensitivity': {
    query: { runs?: number; epsilon?: number; seed?: number; period?: string };
    body: unknown;
    answer: SensitivityResult;
  };
  'POST /api/analysis/index/save': { query: { period?: string }; body: unknown; answer: A.SavedIndex };
  'POST /api/analysis/typology/save': { body: unknown; answer: A.SavedTypologyAnswer };
  'POST /api/analysis/typology': { body: unknown; answer: A.TypologyAnswer };
  'POST /api/analysis/typology/compare': {
    body: { a: unknown; b: unknown; minSize?: number };
    answer: A.TypologyComparison;
  };
  'GET /api/congruence': {
    query: {
      a: string;
      b: string;
      weights?: 'area' | 'population';
      populationSource?: string;
      populationIndicator?: string;
      registerAt?: string;
    };
    answer: A.CongruenceAnswer;
  };
  'POST /api/reallocate': {
    body: {
      indicator: string;
      from: string;
      to: string;
      weights?: 'area' | 'population';
      periods?: string[];
      rounding?: 'largest-remainder' | 'none';
      populationIndicator?: string;
      dryRun?: boolean;
    };
    answer: A.ReallocateResult;
  };

  // The monitor: cockpit and measures
  'GET /api/cockpit': { answer: Cockpit };
  'PUT /api/cockpit': { body: { tiles: unknown[] }; answer: Cockpit };
  'GET /api/measures': {
    query: {
      field?: string;
      targetGroup?: string;
      department?: string;
      status?: string;
      at?: string;
      layer?: string;
      area?: string;
    };
    answer: { measures: StoredMeasure[] };
  };
  'GET /api/measures/vocabulary': { answer: { entries: VocabularyEntry[] } };
  'GET /api/measures/gaps': { query: OpenQuery; answer: A.NeedAnswer };

  // Access: sign-in, users, departments, tokens, the audit trail
  'GET /api/auth/me': { answer: A.MeAnswer };
  'POST /api/auth/login': { body: { user: string; password: string }; answer: A.LoginAnswer };
  'POST /api/auth/logout': { answer: { user: null } };
  'GET /api/auth/methods': { answer: { password: boolean; oidc: boolean } };
  'POST /api/auth/password': { body: { current: string; password: string }; answer: OkAnswer };
  'POST /api/setup': {
    body: { token: string; user: string; password: string; displayName?: string };
    answer: { user: A.UserInfo };
  };
  'GET /api/users': { answer: { users: A.UserInfo[] } };
  'POST /api/users': { body: A.NewUserBody; answer: { user: A.UserInfo } };
  'POST /api/users/:name/disable': { body: Record<string, never>; answer: OkAnswer };
  'POST /api/users/:name/grant': { body: { permission: 'sealed-office' }; answer: { user: A.UserInfo } };
  'POST /api/users/:name/revoke': { body: { permission: 'sealed-office' }; answer: { user: A.UserInfo } };
  'GET /api/departments': { answer: { departments: A.DepartmentInfo[] } };
  'POST /api/departments': { body: { key: string; name: string }; answer: { department: A.DepartmentInfo } };
  'GET /api/tokens': { query: { user?: string }; answer: { tokens: A.TokenInfo[] } };
  'POST /api/tokens': { body: { name: string; user?: string; days?: number }; answer: A.TokenInfo & { token: string } };
  'DELETE /api/tokens/:id': { answer: OkAnswer };
  'GET /api/audit': {
    query: { from?: string; to?: string; actor?: string; action?: string; limit?: number };
    answer: { entries: A.AuditRow[] };
  };

  // Open data: the publisher of the catalogue
  'GET /api/settings/publisher': { answer: { publisher: PublisherSettings | null } };
  'PUT /api/settings/publisher': { body: unknown; answer: { publisher: PublisherSettings } };

  // Reports
  'GET /api/reports': { answer: A.ReportInfo[] };
  'GET /api/reports/templates': { answer: A.TemplateInfo[] };
  'GET /api/reports/:key': { answer: A.ReportDetail };
  'PUT /api/reports/:key': { body: A.DraftDefinition; answer: { version: number } };
  'POST /api/reports/:key/preview': { body: { definition: A.DraftDefinition; area?: string }; answer: A.ReportPreview };
  'POST /api/reports/:key/review': { body: Record<string, never>; answer: A.ReportInfo };
  'POST /api/reports/:key/releases': { body: { changeNote?: string }; answer: A.PublishResult };
  'GET /api/reports/:key/releases': { answer: A.ReleaseInfo[] };

  // The sealed office's definitions
  'GET /api/sealed/definitions': { answer: A.SealedDefinitionInfo[] };
  'GET /api/sealed/definitions/:key': { answer: A.SealedDefinitionDetail };
  'PUT /api/sealed/definitions/:key': { body: Record<string, unknown>; answer: A.SavedSealedDefinition };

  // The youth forum (read side)
  'GET /api/forum/forums': { answer: { forums: PublicForum[] } };
  'GET /api/forum/topics': {
    query: { forum?: string; layer?: string; area?: string };
    answer: { topics: A.PublicTopic[] };
  };
  'GET /api/forum/accountability': { answer: A.AccountabilityView };
  'GET /api/forum/tile': { answer: A.ForumTile };
  'GET /api/forum/forums/:key/meetings': { answer: { meetings: A.ForumMeeting[] } };
  'POST /api/forum/forums/:key/meetings': { body: A.MeetingInput; answer: { id: number } };
  'POST /api/forum/forums/:key/codes': { body: { count: number; label?: string }; answer: A.CodeBatch };
  'POST /api/forum/topics': { body: A.ProposalBody; answer: { id: number; moderation: 'pending' } };
  'POST /api/forum/topics/:id/support': { body: A.SupportBody; answer: { supported: true; supports: number | null } };

  // The youth forum (staff)
  'GET /api/forum/staff/topics': {
    query: { forum?: string; department?: string; moderation?: string };
    answer: { topics: A.StaffTopic[] };
  };
  'POST /api/forum/staff/topics': { body: A.StaffTopicInput; answer: { id: number } };
  'POST /api/forum/topics/:id/moderate': { body: A.ModerationDecision; answer: A.TopicRow };
  'POST /api/forum/topics/:id/merge': {
    body: { into: number };
    answer: { into: number; moved: number; supports: number };
  };
  'POST /api/forum/topics/:id/assign': { body: { department: string; due?: string }; answer: A.TopicRow };
  'POST /api/forum/topics/:id/answer': { body: A.AnswerInput; answer: A.TopicRow };
  'PUT /api/forum/topics/:id/links': { body: { links: TopicLink[] }; answer: A.TopicRow };
  'PUT /api/forum/topics/:id/point': { body: { point: { x: number; y: number } | null }; answer: A.TopicRow };
  'POST /api/forum/attachments/:id/approve': { body: { approved: boolean }; answer: A.AttachmentRow };
}

export type ApiRoute = keyof ApiRoutes;
/** The routes of one method, e.g. `RoutesOf<'GET'>`. */
export type RoutesOf<M extends string> = { [R in ApiRoute]: R extends `${M} ${string}` ? R : never }[ApiRoute];

type PathOf<R extends string> = R extends `${string} ${infer P}` ? P : never;
type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer Rest}`
  ? N | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer N}`
    ? N
    : never;

/** The path parameters a route names (`:key` …), each a text or a number. */
export type RouteParams<R extends ApiRoute> = { [K in ParamNames<PathOf<R>>]: string | number };
export type RouteQuery<R extends ApiRoute> = ApiRoutes[R] extends { query: infer Q } ? Q : Record<never, never>;
export type RouteBody<R extends ApiRoute> = ApiRoutes[R] extends { body: infer B } ? B : undefined;
export type RouteAnswer<R extends ApiRoute> = ApiRoutes[R]['answer'];
