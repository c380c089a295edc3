// A Pulumi program using Roster as an installed package (`npm install roster-cdp @pulumi/pulumi`).
// The stack is the sandbox: `pulumi stack select prod` applies to sandbox `prod`. The database is
// the stack's secret config `roster:databaseUrl`.
import * as pulumi from '@pulumi/pulumi';
import { RosterProject, Segment } from 'roster-cdp/pulumi';

const config = new pulumi.Config('roster');

// Every resource file of the directory (and its roster.yaml), as `roster plan` reads them: one
// child per resource, named `Kind/name`, parented to this component.
const acme = new RosterProject('acme', { configDir: config.get('configDir') ?? '../acme' });

// A segment declared in TypeScript next to the files: its spec is typed from Roster's JSON Schemas,
// so a misspelt operator or subject is a compile error. References are by name, as in files.
const threshold = config.getNumber('bigAccountEmployees') ?? 1000;
const bigAccounts = new Segment(
  'big-enterprise-accounts',
  {
    metadata: { description: `Accounts with at least ${threshold} employees`, labels: { team: 'abm' } },
    spec: {
      subject: 'account',
      where: {
        all: [{ inSegment: 'enterprise-accounts' }, { attribute: 'numberOfEmployees', op: 'gte', value: threshold }],
      },
    },
  },
  { dependsOn: [acme] },
);

export const sandbox = acme.sandbox;
export const resources = acme.resources.then((declared) => [...declared.keys()]);
export const bigAccountsRevision = bigAccounts.revision;
