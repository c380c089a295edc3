import type { AttributeCatalog } from '../catalog/attribute-catalog';
import { TO_ONE_RELATIONS } from '../catalog/attribute-catalog';
import type { Problem } from '../config/problem';
import { problemAt } from '../config/problem-at';
import type { DestinationResourceItem, Resource } from '../config/resource';
import { didYouMeanSuffix } from '../util/did-you-mean';
import { bareHost, refusedHostReason } from '../util/private-address';
import { cronProblem } from './check-schedule';
import { checkWebhookPayload } from './check-webhook-payload';

export interface DestinationRuleOptions {
  /** Hosts a webhook may target although they are private (local development). */
  allowedPrivateHosts: readonly string[];
}

/** Destination rules the schema cannot say: list ids, field names, schedules, SSRF-safe webhook URLs, payload templates. */
export function checkDestinations(
  resources: readonly Resource[],
  catalog: AttributeCatalog,
  options: DestinationRuleOptions,
): Problem[] {
  const problems: Problem[] = [];
  for (const destination of resources.filter((r): r is DestinationResourceItem => r.kind === 'Destination')) {
    const { spec } = destination;
    const scheduleProblem = spec.schedule === undefined ? undefined : cronProblem(spec.schedule);
    if (scheduleProblem) problems.push(problemAt(destination, '/spec/schedule', 'CONFIG_CRON', scheduleProblem));
    spec.segments.forEach((binding, i) => {
      const marketo = spec.type === 'marketo-static-list';
      if (marketo && binding.listId === undefined)
        problems.push(
          problemAt(
            destination,
            `/spec/segments/${i}`,
            'CONFIG_DESTINATION',
            `a marketo-static-list destination needs the "listId" of the static list receiving Segment/${binding.segment}`,
          ),
        );
      if (!marketo && binding.listId !== undefined)
        problems.push(
          problemAt(
            destination,
            `/spec/segments/${i}/listId`,
            'CONFIG_DESTINATION',
            `"listId" applies to marketo-static-list destinations only; remove it`,
          ),
        );
    });
    const block = spec.webhook ?? spec.file ?? spec.postgresTable;
    const blockName = spec.webhook ? 'webhook' : spec.file ? 'file' : 'postgresTable';
    block?.fields?.forEach((field, i) => {
      const wrong = personFieldProblem(field, catalog);
      if (wrong)
        problems.push(problemAt(destination, `/spec/${blockName}/fields/${i}`, 'CONFIG_UNKNOWN_ATTRIBUTE', wrong));
    });
    if (spec.webhook) problems.push(...checkWebhookUrl(destination, spec.webhook.url, options));
    problems.push(...checkWebhookPayload(destination));
  }
  return problems;
}

/** Fields sent are person attributes, or attributes of the person's account (`account.name`). */
function personFieldProblem(field: string, catalog: AttributeCatalog): string | undefined {
  const [first, second] = field.split('.');
  if (second !== undefined) {
    if (!TO_ONE_RELATIONS.person?.[first!])
      return `"${field}" is not a person field; only account.<attribute> can be followed`;
    const names = [...catalog.get('account')!.keys()];
    return names.includes(second)
      ? undefined
      : `"${second}" is not an account attribute${didYouMeanSuffix(second, names)}`;
  }
  const names = [...catalog.get('person')!.keys()];
  return names.includes(first!)
    ? undefined
    : `"${first}" is not a person attribute${didYouMeanSuffix(first!, names) || `; person attributes are: ${names.join(', ')}`}`;
}

function checkWebhookUrl(
  destination: DestinationResourceItem,
  url: string,
  options: DestinationRuleOptions,
): Problem[] {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return []; // the schema's `format: uri` already reported it
  }
  const bare = bareHost(hostname);
  const reason = refusedHostReason(hostname);
  if (reason === undefined || options.allowedPrivateHosts.includes(bare)) return [];
  // Show the host as written when the URL parser normalised it (0x7f.1 becomes 127.0.0.1).
  const written = /^[a-z]+:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url)?.[1]?.toLowerCase() ?? hostname;
  const host = written === hostname ? bare : `${written} (that is ${bare})`;
  const message = `webhook URL refused: ${host} is ${reason} (server-side request forgery protection); use a public endpoint, or for local development set ROSTER_ALLOW_PRIVATE_HOSTS=${bare}`;
  return [problemAt(destination, '/spec/webhook/url', 'CONFIG_SSRF', message)];
}
