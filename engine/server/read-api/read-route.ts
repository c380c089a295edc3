import type { Queryable } from '../../runtime/queryable';
import type { ReadQuery, ReadQueryParameter } from './parse-read-query';

/** What a read route answers: a status and a JSON body, which the router sends. */
export interface ReadAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A request as a read route sees it: the database, the sandbox, the path's captures and the checked query. */
export interface ReadRequest {
  db: Queryable;
  sandbox: string;
  /** The captures of the route's `path`, undecoded. */
  params: string[];
  query: ReadQuery;
}

/** One `GET` route of the read API. */
export interface ReadRoute {
  path: RegExp;
  /** The query parameters it accepts; any other is refused with 400 before `answer` runs. */
  accepts: readonly ReadQueryParameter[];
  answer: (request: ReadRequest) => Promise<ReadAnswer>;
}

export function ok(body: unknown): ReadAnswer {
  return { status: 200, body };
}

/** An error answer in the server's shape: `{ error, message }`. */
export function refuse(status: number, error: string, message: string): ReadAnswer {
  return { status, body: { error, message } };
}
