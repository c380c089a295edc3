import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkMirror } from '../../../engine/activation/check-mirror';
import type { ConnectorEnvironment } from '../../../engine/activation/connector';
import { drainDestination } from '../../../engine/activation/drain-destination';
import { readActivationConfig } from '../../../engine/activation/read-applied-destinations';
import { marketoInstanceOf } from '../../../engine/vendors/marketo/marketo-instance';
import { forgetMarketoInstance } from '../../support/marketo/forget-marketo-instance';
import { type MarketoServer, startMarketoServer } from '../../support/marketo/marketo-server';
import { rosterOk, segmentYaml, useSegmentWorkspace, writeConfig, writeCrmData } from '../segment/segment-sandbox';
import { evaluateAll, scoredPersons } from './delivery-kit';

/**
 * A Marketo static list fed through the outbox by the delivery worker, against the local server
 * that follows Marketo's REST protocol: only existing leads are added (by id, found by email), a
 * member without a lead is reported and never created, exits remove, and mirror finds drift.
 */
const workspace = useSegmentWorkspace();
const LIST = 3001;
let server: MarketoServer;
let sandbox: string;
let dir: string;
let environment: ConnectorEnvironment;
let env: NodeJS.ProcessEnv;

const HIGH = segmentYaml({
  name: 'high-score',
  subject: 'person',
  where: { attribute: 'score', op: 'gte', value: 50 },
});

beforeAll(async () => {
  server = await startMarketoServer();
  server.leads.addList(LIST, 'Roster: high score');
  // p1..p4 are known to Marketo; p5 is not.
  server.leads.addLeads(['p1@x.example', 'P2@X.example', 'p3@x.example', 'p4@x.example']);
  ({ sandbox, dir } = await workspace.newSandbox('mkto'));
  const destination = stringify({
    apiVersion: 'roster/v1',
    kind: 'Destination',
    metadata: { name: 'mkto' },
    spec: {
      type: 'marketo-static-list',
      marketo: { endpoint: server.url, clientId: server.clientId, clientSecret: '{{ secret("MKTO_SECRET") }}' },
      segments: [{ segment: 'high-score', listId: LIST }],
    },
  });
  await writeConfig(dir, { 'segments/high.yaml': HIGH, 'destinations/mkto.yaml': destination });
  await writeCrmData(dir, { persons: scoredPersons([60, 70, 80, 90, 95]) });
  env = { ...workspace.env, MKTO_SECRET: server.clientSecret };
  await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env);
  await forgetMarketoInstance(workspace.pool, server.url); // roster_shared exists once a sandbox is migrated
  await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
  environment = {
    env: { MKTO_SECRET: server.clientSecret },
    cwd: process.cwd(),
    log: () => {},
    marketo: { rateLimitWaitMs: 50, retryBaseMs: 5 },
  };
});

afterAll(async () => {
  await forgetMarketoInstance(workspace.pool, server.url);
  await server.close();
});

const drain = () => drainDestination({ pool: workspace.pool, sandbox, destination: 'mkto', environment });

describe('delivery to a Marketo static list', () => {
  it('adds the members that have a lead, reports the one without, and never creates a lead', async () => {
    await evaluateAll(workspace, sandbox, new Date('2026-06-01T00:00:00Z'));
    expect(await drain()).toMatchObject({ status: 'drained', delivered: 4, unmatched: 1, dead: 0 });
    expect(server.leads.memberEmails(LIST)).toEqual(['p1@x.example', 'p2@x.example', 'p3@x.example', 'p4@x.example']);
    expect(server.leadWrites).toEqual([]);
    const { rows } = await workspace.pool.query(
      `select status, detail from roster_${sandbox}.activation_outbox where status = 'unmatched'`,
    );
    expect(rows).toEqual([
      { status: 'unmatched', detail: expect.stringContaining('no Marketo lead with email p5@x.example') },
    ]);
    const status = await rosterOk(['destination', 'status', 'mkto', '--sandbox', sandbox], env);
    expect(status).toContain('delivered 4, unmatched 1');
  });

  it('sends nothing but emails, list ids and lead ids', () => {
    for (const request of server.requests.filter((r) => r.path.startsWith('/rest/'))) {
      const sent = `${JSON.stringify(request.query)} ${request.body}`;
      expect(sent).not.toMatch(/firstName|P[1-5]\b|score/);
      const emails = sent.match(/[\w.+-]+(@|%40)[\w-]+\.example/gi) ?? [];
      for (const email of emails) expect(email.toLowerCase().replace('%40', '@')).toMatch(/^p[1-5]@x\.example$/);
    }
  });

  it('removes a member that exits', async () => {
    await writeCrmData(dir, { persons: scoredPersons([60, 10, 80, 90, 95]) });
    await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
    await evaluateAll(workspace, sandbox, new Date('2026-06-02T00:00:00Z'));
    expect(await drain()).toMatchObject({ delivered: 1, dead: 0 });
    expect(server.leads.memberEmails(LIST)).toEqual(['p1@x.example', 'p3@x.example', 'p4@x.example']);
  });

  it('finds drift made in Marketo and repairs it (mirror)', async () => {
    const p3 = server.leads.listMembers(LIST).find((lead) => lead.email === 'p3@x.example')!;
    server.leads.removeFromList(server.leads.lists.get(LIST)!, [p3.id]);
    const config = await readActivationConfig(workspace.pool, sandbox);
    const destination = config.destinations.find((d) => d.name === 'mkto')!;
    const check = () => checkMirror(workspace.pool, { sandbox, destination, config, repair: false }, environment);
    // p5 has no lead: it stays "missing" at the destination, which cannot hold it.
    expect(await check()).toEqual([{ segment: 'high-score', expected: 4, missing: 2, unexpected: 0, repaired: false }]);
    await checkMirror(workspace.pool, { sandbox, destination, config, repair: true }, environment);
    expect(server.leads.memberEmails(LIST)).toEqual(['p1@x.example', 'p3@x.example', 'p4@x.example']);
    expect(server.leadWrites).toEqual([]);
  });

  it("spends the instance's one daily quota across drains and mirror checks", async () => {
    const { rows } = await workspace.pool.query(
      'select quota_calls as calls from roster_shared.marketo_instances where instance = $1',
      [marketoInstanceOf(server.url)],
    );
    const restCalls = server.requests.filter((r) => r.path.startsWith('/rest/')).length;
    expect(rows[0].calls).toBe(restCalls);
  });
});
