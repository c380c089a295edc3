import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyLine } from '../runtime/copy-text';
import type { CompiledMapping } from './compile-mapping';
import type { MappedRow } from './map-record';

const BATCH_ROWS = 5000;

/**
 * Streams mapped rows into temporary staging tables with COPY (the bulk path), in batches, inside
 * the run's transaction. Staging tables are dropped at commit or rollback.
 */
export class RowStager {
  private rows: string[] = [];
  private identities: string[] = [];
  private seq = 0;

  constructor(
    private readonly client: PoolClient,
    private readonly mapping: CompiledMapping,
    /** Normalises one identity value; undefined drops it (empty or blocklisted). */
    private readonly normalize: (namespace: string, value: string) => string | undefined,
    /** For events: the identity namespaces by priority, best first. */
    private readonly eventNamespaces: readonly string[],
  ) {}

  /** Creates the staging tables (once per object). */
  async open(): Promise<void> {
    const columns = this.mapping.columns.map((_, i) => `c${i} text`);
    const links = this.mapping.links.map((_, i) => `l${i} text`);
    await this.client.query(
      `create temp table stage_rows (seq bigint, key text, deleted boolean, ${[...columns, ...links].map((c) => `${c}, `).join('')}attrs text, content_hash text, id_namespace text, id_value text) on commit drop`,
    );
    await this.client.query(
      'create temp table stage_identities (seq bigint, key text, namespace text, value text) on commit drop',
    );
  }

  async add(row: MappedRow): Promise<void> {
    const identities = row.identities
      .map(({ namespace, value }) => ({ namespace, value: this.normalize(namespace, value) }))
      .filter((i): i is { namespace: string; value: string } => i.value !== undefined);
    const best = this.eventNamespaces.map((ns) => identities.find((i) => i.namespace === ns)).find(Boolean);
    const seq = String(this.seq++);
    this.rows.push(
      copyLine([
        seq,
        row.key,
        row.deleted ? 't' : 'f',
        ...row.columns,
        ...row.links,
        JSON.stringify(row.attrs),
        row.contentHash,
        best?.namespace,
        best?.value,
      ]),
    );
    for (const identity of identities)
      this.identities.push(copyLine([seq, row.key, identity.namespace, identity.value]));
    if (this.rows.length >= BATCH_ROWS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.rows.length > 0) await this.copy('stage_rows', this.rows);
    if (this.identities.length > 0) await this.copy('stage_identities', this.identities);
    this.rows = [];
    this.identities = [];
  }

  private async copy(table: string, lines: string[]): Promise<void> {
    const stream = this.client.query(copyFrom(`copy ${table} from stdin`));
    await new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(lines.join(''));
    });
  }
}
