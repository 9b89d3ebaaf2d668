// Fastify route generics from the contract (src/contracts/routes.ts): a handler's reply is the
// route's answer there, so server and web app are checked against one type.
import type { ApiRoute, RouteAnswer, RouteBody } from '../contracts/routes.ts';

/** The reply of a route is its contract answer. */
export type Answering<R extends ApiRoute> = { Reply: RouteAnswer<R> };
/** The reply of a route that also answers in other formats (`format=csv`, `xlsx`, `json-stat`): the JSON answer is still checked. */
export type AnsweringOr<R extends ApiRoute, Other> = { Reply: RouteAnswer<R> | Other };
/** The body and the reply of a route, as the contract has them. */
export type Taking<R extends ApiRoute> = { Body: RouteBody<R>; Reply: RouteAnswer<R> };
