import { readDestinationStatus } from '../../activation/destination-status';
import { type AppliedDestination, readActivationConfig } from '../../activation/read-applied-destinations';
import { sandboxSchema } from '../../runtime/sandbox-schema';
import { ok, type ReadAnswer, type ReadRequest, type ReadRoute, refuse } from './read-route';

/** `GET /v1/destinations` and `GET /v1/destinations/<name>`: delivery status, as `roster destination status`. */
export const destinationRoutes: ReadRoute[] = [
  { path: /^\/v1\/destinations$/, accepts: [], answer: listDestinations },
  { path: /^\/v1\/destinations\/([^/]+)$/, accepts: [], answer: getDestination },
];

async function listDestinations(request: ReadRequest): Promise<ReadAnswer> {
  const { destinations } = await readActivationConfig(request.db, request.sandbox);
  const statuses = [];
  for (const destination of destinations) statuses.push(await statusOf(request, destination));
  return ok({ sandbox: request.sandbox, destinations: statuses });
}

async function getDestination(request: ReadRequest): Promise<ReadAnswer> {
  const name = request.params[0]!;
  const { destinations } = await readActivationConfig(request.db, request.sandbox);
  const destination = destinations.find((d) => d.name === name);
  if (destination) return ok(await statusOf(request, destination));
  return refuse(
    404,
    'unknown_destination',
    `Destination/${name} is not applied to sandbox ${request.sandbox} (applied: ${destinations.map((d) => d.name).join(', ') || 'none'})`,
  );
}

function statusOf(request: ReadRequest, destination: AppliedDestination) {
  return readDestinationStatus(request.db, sandboxSchema(request.sandbox), {
    name: destination.name,
    type: destination.spec.type,
  });
}
