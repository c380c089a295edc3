import type { Pool } from 'pg';
import { drainDestination } from '../../engine/activation/drain-destination';
import { type MarketoServer, startMarketoServer } from '../../test/support/marketo/marketo-server';
import type { ServerLimits } from '../../test/support/marketo/marketo-server-options';
import { type BenchResult, timed } from '../measure';
import { benchEmail, connectorEnvironment, failLoudly } from './activation-sandbox';
import { LIST_ID } from './bulk-audience';

/**
 * Marketo's limits for a run at `scale`: 10 calls in flight and 100 calls per 20 s at scale 1 and
 * above. Below 1 the window and its calls shrink together (same 5 calls/s): with the real window
 * a small run would fit in the first window's burst and the achieved rate would mean nothing.
 */
export function marketoLimits(scale: number): ServerLimits {
  const factor = Math.min(1, scale);
  return {
    maxConcurrency: 10,
    callsPerWindow: Math.max(1, Math.round(100 * factor)),
    windowMs: Math.max(100, Math.round(20_000 * factor)),
  };
}

/** A fake Marketo enforcing `limits`, with one lead per bulk-loaded person (emails 1..members) and the empty list. */
export async function startBenchMarketo(members: number, limits: ServerLimits): Promise<MarketoServer> {
  const server = await startMarketoServer({ seedFixtureLeads: false, limits });
  server.leads.addLeads(Array.from({ length: members }, (_, i) => benchEmail(i + 1)));
  server.leads.addList(LIST_ID, 'Roster: audience');
  return server;
}

function isApiCall(request: MarketoServer['requests'][number]): boolean {
  return !request.path.startsWith('/identity/');
}

/**
 * (b) The audience's `members` entries to a fake Marketo that enforces the instance limits, every
 * member having a lead: how close delivery runs to the call limit. Reports calls/s as a fraction of
 * the limit's rate (as the issue defines it; the first window's calls go out at once, so a client
 * exactly at the limit scores a little over 100%), the fastest time the limit allows for the calls
 * made against the time taken, and members/s. The list must end with exactly the members' emails.
 * Target: 90% of the limit or better.
 */
export async function benchMarketoPacing(
  pool: Pool,
  target: { sandbox: string; env: NodeJS.ProcessEnv; members: number; limits: ServerLimits },
  server: MarketoServer,
): Promise<BenchResult[]> {
  const { sandbox, members, limits } = target;
  const errors: string[] = [];
  const environment = connectorEnvironment(target.env, errors, {
    rateWindowMs: limits.windowMs,
    rateLimitWaitMs: limits.windowMs,
  });
  const [drained, seconds] = await timed(() =>
    drainDestination({ pool, sandbox, destination: 'marketo', environment }),
  );
  const calls = server.requests.filter(isApiCall);
  const expected = Array.from({ length: members }, (_, i) => benchEmail(i + 1).toLowerCase()).sort();
  const held = server.leads.memberEmails(LIST_ID);
  const missing = expected.filter((email, i) => held[i] !== email).length;
  failLoudly('(b) Marketo pacing', [
    ...errors,
    ...(drained.status === 'drained' && drained.delivered === members && drained.unmatched === 0
      ? []
      : [`drainDestination ended ${drained.status}: ${drained.delivered} delivered, ${drained.unmatched} unmatched`]),
    ...(held.length === members && missing === 0
      ? []
      : [`the list holds ${held.length} leads, ${missing} of the expected ${members} emails differ`]),
  ]);
  const limitRate = limits.callsPerWindow / (limits.windowMs / 1000);
  const fraction = (100 * (calls.length / seconds)) / limitRate;
  const fastest = (Math.floor((calls.length - 1) / limits.callsPerWindow) * limits.windowMs) / 1000;
  const rejections = server.limitRejections['606'] + server.limitRejections['615'];
  const limit = `${limits.callsPerWindow} calls/${limits.windowMs / 1000} s, ${limits.maxConcurrency} concurrent`;
  const notes = `${calls.length} calls (${drained.batches} batches of up to 300) in ${seconds.toFixed(1)} s; fastest the limit allows for them ${fastest.toFixed(1)} s; most calls in any window ${server.maxCallsInAnyWindow()}, most in flight ${server.maxInFlight()}, ${rejections} refused (606/615); list holds exactly the ${members} emails`;
  process.stderr.write(`  (b) ${notes}\n`);
  const work = `activation (b) Marketo static list: ${members} members, limit ${limit}`;
  return [
    {
      work: `${work}: calls/s as % of the limit`,
      roster: fraction,
      unit: '%',
      target: '>= 90%',
      pass: fraction >= 90 && rejections === 0,
      notes,
    },
    {
      work: `${work}: fastest time the limit allows / time taken`,
      roster: fastest > 0 ? (100 * fastest) / seconds : 100,
      unit: '%',
      target: '>= 90%',
      pass: fastest === 0 || fastest / seconds >= 0.9,
      notes,
    },
    {
      work: `${work}: throughput`,
      roster: members / seconds,
      unit: 'members/s',
      target: 'report',
      pass: true,
      notes,
    },
  ];
}
