/**
 * An account's `domain` is a bare domain (the catalog says so, and segments compare it that way),
 * whichever column fills it: a website URL mapped by hand is normalised as the Salesforce preset's.
 */
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';
import { makeWorkspace, RosterCli, type Workspace, writeFiles } from './ingest-kit';

const SOURCE = `apiVersion: roster/v1
kind: Source
metadata: { name: companies }
spec:
  type: file
  file: { baseDir: ../data }
  objects:
    - { name: companies, entity: account, path: companies.csv, key: id, fields: { name: name, domain: website } }
`;

const CSV = `id,name,website
A1,Acme,https://www.Acme.example/about?ref=1
A2,Globex,http://globex.example:8080
A3,Initech,www.initech.example
A4,Hooli,hooli.example
A5,Nowhere,
`;

describe('a website column mapped to an account domain', () => {
  let pool: Pool;
  let workspace: Workspace;
  const sandbox = uniqueSandbox('dom');

  beforeAll(async () => {
    pool = await testPool();
    workspace = makeWorkspace('domain');
    writeFiles(workspace.config, { 'companies.yaml': SOURCE });
    writeFiles(workspace.data, { 'companies.csv': CSV });
    const cli = new RosterCli(await testDatabaseUrl());
    cli.apply(workspace.config, sandbox);
    cli.sourceRun('companies', sandbox);
  });

  afterAll(async () => {
    await dropSandboxes(pool, [sandbox]);
    await pool.end();
    workspace.remove();
  });

  it('keeps the bare, lower-case domain: no scheme, www., port, path or query', async () => {
    const { rows } = await pool.query(
      `select source_key as key, domain from ${sandboxSchema(sandbox)}.account_records order by source_key`,
    );
    expect(rows).toEqual([
      { key: 'A1', domain: 'acme.example' },
      { key: 'A2', domain: 'globex.example' },
      { key: 'A3', domain: 'initech.example' },
      { key: 'A4', domain: 'hooli.example' },
      { key: 'A5', domain: null },
    ]);
  });
});
