// Every JSON answer and request body of the HTTP API, grouped by resource: the services build
// them, the web app reads them (src/contracts/routes.ts maps each route to its types). Types
// only, no Node.js imports: the web app (tsc -p web, Vite) includes these files.
export type * from './access.ts';
export type * from './analysis.ts';
export type * from './comparison.ts';
export type * from './facilities.ts';
export type * from './forum.ts';
export type * from './indicators.ts';
export type * from './layers.ts';
export type * from './measures.ts';
export type * from './places.ts';
export type * from './reports.ts';
export type * from './sealed.ts';
export type * from './spatial.ts';

export type * from './values.ts';
