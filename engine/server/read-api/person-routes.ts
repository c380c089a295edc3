import { type PersonLookup, tryReadPersonProfile } from '../../runtime/profiles/read-person-profile';
import { ok, type ReadAnswer, type ReadRequest, type ReadRoute, refuse } from './read-route';

/** `GET /v1/persons/<id>` and `GET /v1/persons?email=` / `?identity=namespace:value`: the unified person profile. */
export const personRoutes: ReadRoute[] = [
  { path: /^\/v1\/persons$/, accepts: ['email', 'identity'], answer: findPerson },
  { path: /^\/v1\/persons\/([^/]+)$/, accepts: [], answer: getPerson },
];

async function findPerson(request: ReadRequest): Promise<ReadAnswer> {
  const { email, identity } = request.query;
  if (email !== undefined && identity === undefined) return answerProfile(request, { email }, `email ${email}`);
  if (identity !== undefined && email === undefined)
    return answerProfile(request, identity, `identity ${identity.namespace}:${identity.value}`);
  return refuse(
    400,
    'bad_request',
    'give exactly one of ?email=ADDRESS or ?identity=NAMESPACE:VALUE, or ask for /v1/persons/<id>',
  );
}

async function getPerson(request: ReadRequest): Promise<ReadAnswer> {
  const id = request.params[0]!;
  if (!/^\d{1,15}$/.test(id))
    return refuse(
      400,
      'bad_request',
      `person id "${id}" is not a number; find a person by ?email=ADDRESS or ?identity=NAMESPACE:VALUE`,
    );
  return answerProfile(request, { id: Number(id) }, `id ${id}`);
}

async function answerProfile(request: ReadRequest, lookup: PersonLookup, described: string): Promise<ReadAnswer> {
  const profile = await tryReadPersonProfile(request.db, request.sandbox, lookup);
  if (profile) return ok(profile);
  return refuse(
    404,
    'unknown_person',
    `no person in sandbox ${request.sandbox} has ${described}; check the value, or run the sources and stitching first (roster source run)`,
  );
}
