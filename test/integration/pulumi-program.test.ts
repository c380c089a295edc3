/**
 * The Pulumi program under the SDK's mocks: what it registers with the engine for examples/acme.
 * Inputs are recorded from the mocks' `newResource`; dependencies are read from the
 * RegisterResourceRequest the SDK sends to the (mock) resource monitor, i.e. what the engine
 * would receive.
 */
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResourceKey } from '../../engine/config/resource';
import { declareRosterResources } from '../../providers/pulumi-program';

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  custom: boolean | undefined;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
}

type Monitor = { registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): unknown };

const registered = new Map<string, Registered>();
/** Resource name -> names of the resources it depends on, from the RegisterResourceRequest. */
const dependencies = new Map<string, string[]>();
/** Resource names in the order the program registered them. */
const registrationOrder: string[] = [];
let declared: Map<ResourceKey, pulumi.CustomResource>;
const urns = new Map<string, string>();

const nameOfUrn = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.set(args.name, { type: args.type, name: args.name, inputs: args.inputs, custom: args.custom });
        return { id: `${args.name}-id`, state: { ...args.inputs, revision: 1, appliedAt: '2024-01-01T00:00:00.000Z' } };
      },
      call: () => ({}),
    },
    'roster',
    'dev',
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    registrationOrder.push(req.getName());
    dependencies.set(req.getName(), req.getDependenciesList().map(nameOfUrn));
    return registerResource(req, callback);
  };

  declared = await declareRosterResources({ configDir: 'examples/acme', sandbox: 'dev' });
  for (const resource of declared.values()) {
    const urn = await new Promise<string>((resolve) => resource.urn.apply(resolve));
    urns.set(nameOfUrn(urn), urn);
  }
});

describe('declareRosterResources on examples/acme (sandbox dev)', () => {
  it('registers 14 dynamic resources named <Kind>-<name>, typed pulumi-nodejs:dynamic/roster:<Kind>', () => {
    expect(declared.size).toBe(14);
    expect(registered.size).toBe(14);
    const kinds: Record<string, number> = {};
    for (const [key, resource] of declared) {
      const [kind, name] = key.split('/') as [string, string];
      const entry = registered.get(`${kind}-${name}`);
      expect(entry, `${kind}-${name} registered`).toBeDefined();
      expect(entry!.type).toBe(`pulumi-nodejs:dynamic/roster:${kind}`);
      expect(entry!.custom).toBe(true);
      expect(resource).toBeInstanceOf(pulumi.dynamic.Resource);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    expect(kinds).toEqual({ Source: 3, IdentityMapping: 1, Segment: 7, Destination: 3 });
    expect([...registered.keys()].sort()).toEqual([...urns.keys()].sort());
  });

  it('gives each resource its inputs: sandbox dev, managedBy pulumi, the document, and the serialized provider', () => {
    for (const [name, entry] of registered) {
      const { inputs } = entry;
      const kind = entry.type.split(':').pop();
      expect(inputs).toMatchObject({ sandbox: 'dev', managedBy: 'pulumi', kind, name: name.slice(kind!.length + 1) });
      expect(inputs.specHash).toMatch(/^sha256:/);
      expect(typeof inputs.sourceFile).toBe('string');
      expect(inputs.document).toMatchObject({ apiVersion: 'roster/v1', kind, metadata: { name: inputs.name } });
      expect(typeof (inputs.document as { spec: unknown }).spec).toBe('object');
      expect(inputs).not.toHaveProperty('revision');
      expect(inputs).not.toHaveProperty('appliedAt');
      expect(String(inputs.__provider)).toContain('exports.handler');
    }
    const hotLeads = registered.get('Segment-hot-leads')!.inputs;
    expect(hotLeads.sourceFile).toBe('segments/hot-leads.yaml');
    expect(hotLeads.document).toMatchObject({ spec: { subject: 'person', evaluation: 'streaming' } });
    const alerts = registered.get('Destination-sales-alerts')!.inputs.document as {
      spec: { webhook: { secret: string } };
    };
    expect(alerts.spec.webhook.secret).toBe('secret://SALES_WEBHOOK_SECRET');
  });

  it('sends dependsOn from references to the engine', () => {
    expect(dependencies.get('Destination-sales-alerts')).toEqual(
      expect.arrayContaining(['Segment-hot-leads', 'Segment-buying-committee', 'Segment-engaged-enterprise']),
    );
    expect(dependencies.get('IdentityMapping-acme-identity')).toEqual(
      expect.arrayContaining(['Source-salesforce-crm', 'Source-marketo', 'Source-web-events']),
    );
    for (const name of [...registered.keys()].filter((n) => n.startsWith('Source-'))) {
      expect(dependencies.get(name), name).toEqual([]);
    }
    // Every destination depends on every segment it activates (read from its own document).
    for (const [name, entry] of registered) {
      if (!name.startsWith('Destination-')) continue;
      const segments = (entry.inputs.document as { spec: { segments: { segment: string }[] } }).spec.segments;
      expect(segments.length).toBeGreaterThan(0);
      expect(dependencies.get(name)).toEqual(expect.arrayContaining(segments.map((s) => `Segment-${s.segment}`)));
    }
    // Dependencies are real resources of this program, registered before their dependents.
    for (const [name, deps] of dependencies) {
      for (const dep of deps) {
        expect(urns.has(dep), `${name} -> ${dep}`).toBe(true);
        expect(registrationOrder.indexOf(dep), `${dep} before ${name}`).toBeLessThan(registrationOrder.indexOf(name));
      }
    }
  });
});
