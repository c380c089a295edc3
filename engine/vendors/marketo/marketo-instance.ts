/**
 * The instance a REST endpoint belongs to, as its limits are keyed: the endpoint's `host:port`, lower
 * case (`123-abc-456.mktorest.com`). Destinations and sources naming the same endpoint share it.
 */
export function marketoInstanceOf(endpoint: string): string {
  try {
    return new URL(endpoint).host.toLowerCase();
  } catch {
    return endpoint.trim().toLowerCase(); // refused later by the client's option checks, with the expected form
  }
}
