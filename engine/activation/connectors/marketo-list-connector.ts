import type { SegmentBinding } from '../../../schemas/generated/resource-types';
import { resolveSecret } from '../../config/resolve-secret';
import { marketoLimitsPool } from '../../runtime/marketo/marketo-limits-pool';
import { instanceCallGate } from '../../vendors/marketo/instance-call-limiter';
import { resolveClientSettings } from '../../vendors/marketo/marketo-client-options';
import { marketoInstanceOf } from '../../vendors/marketo/marketo-instance';
import { MarketoTransport } from '../../vendors/marketo/marketo-transport';
import {
  type ActivationMember,
  type BatchResult,
  type ConnectorFactory,
  type ConnectorTarget,
  type DeliveryBatch,
  type DeliveryContext,
  DeliveryError,
  type DestinationConnector,
  destinationFields,
  type MirrorDrift,
} from '../connector';
import { DailyCallBudget } from './marketo/daily-call-budget';
import { deliverListBatch } from './marketo/deliver-list-batch';
import { cancelledDelivery, deliveryErrorOf, type ListCallSite } from './marketo/delivery-error-of';
import { MAX_LIST_IDS } from './marketo/list-membership';
import type { MatchFields } from './marketo/member-leads';
import { mirrorList } from './marketo/mirror-list';

/** Calls a Marketo destination may spend per day unless its spec says otherwise. */
const DEFAULT_DAILY_QUOTA = 10_000;

/**
 * The `marketo-static-list` connector: adds the existing leads of entered members to the segment's
 * static list and removes those of exited members, matching leads by email, then by ECID when
 * `fields` allows it. It never creates or updates a lead; a member without a lead is reported as
 * unmatched. Only emails, ECIDs, lead ids and list ids are sent.
 *
 * Built once per destination: the client secret is resolved here (a missing variable throws
 * `MissingSecretError`). Its calls pass the instance's limiter and count against the instance's
 * daily quota, both shared through PostgreSQL with every other caller of the instance.
 */
export const createMarketoListConnector: ConnectorFactory = (target, environment) => {
  const marketo = target.spec.marketo;
  const label = `Destination/${target.name}`;
  if (marketo === undefined) {
    throw new Error(
      `${label}: a marketo-static-list destination needs a marketo block (endpoint, clientId, clientSecret)`,
    );
  }
  const clientSecret = resolveSecret(marketo.clientSecret, environment.env, `${label} (marketo.clientSecret)`);
  if (environment.pool === undefined)
    throw new Error(`${label}: a Marketo connector needs the database, where its instance's limits are counted`);
  // The limits and the quota are the instance's: shared with every destination and source calling
  // it, in this process and in any other using the database (decision 39).
  const instance = marketoInstanceOf(marketo.endpoint);
  const budget = new DailyCallBudget(marketo.dailyQuota ?? DEFAULT_DAILY_QUOTA, label, {
    pool: marketoLimitsPool(environment.pool, instance),
    instance,
  });
  const { transport } = resolveClientSettings({
    endpoint: marketo.endpoint,
    identityEndpoint: marketo.identityEndpoint,
    clientId: marketo.clientId,
    clientSecret,
    maxConcurrency: marketo.maxConcurrency,
    callsPer20Seconds: marketo.callsPer20Seconds,
    // Tests and benchmarks compress Marketo's 20 s window; unset, Marketo's own timing applies.
    rateWindowMs: environment.marketo?.rateWindowMs,
    rateLimitWaitMs: environment.marketo?.rateLimitWaitMs,
    retryBaseMs: environment.marketo?.retryBaseMs,
    fetch: environment.marketo?.fetch,
    // Retries and token renewals: worth seeing when a destination is slow, not failures.
    log: (line) => environment.log({ level: 'warn', msg: line, destination: target.name }),
    callGate: instanceCallGate(environment.pool, marketo.endpoint),
    beforeCall: () => budget.take(),
  });
  const fields = destinationFields(target.spec);
  return new MarketoListConnector(target, new MarketoTransport(transport), {
    budget,
    fields: { email: fields.includes('email'), ecid: fields.includes('ecid') },
  });
};

class MarketoListConnector implements DestinationConnector {
  readonly maxBatchSize = MAX_LIST_IDS;
  readonly maxConcurrency: number;
  private readonly name: string;
  private readonly label: string;

  constructor(
    target: ConnectorTarget,
    private readonly transport: MarketoTransport,
    private readonly options: { budget: DailyCallBudget; fields: MatchFields },
  ) {
    this.name = target.name;
    this.label = `Destination/${target.name}`;
    this.maxConcurrency = target.spec.marketo?.maxConcurrency ?? 10;
  }

  async deliver(batch: DeliveryBatch, context: DeliveryContext): Promise<BatchResult> {
    const site = this.siteOf(batch.binding);
    const { fields } = this.options;
    const outcome = await this.guard(site, context, () =>
      deliverListBatch(this.transport, batch, { listId: site.listId, fields, signal: context.signal }),
    );
    const { added, removed, unmatched } = outcome;
    context.log({
      ...this.logFields('marketo list batch delivered', site),
      batchId: batch.batchId,
      changes: batch.changes.length,
      added,
      removed,
      unmatched: unmatched.length,
    });
    return { unmatched };
  }

  async mirror(
    binding: SegmentBinding,
    expected: ActivationMember[],
    options: { repair: boolean },
    context: DeliveryContext,
  ): Promise<MirrorDrift> {
    const site = this.siteOf(binding);
    if (options.repair && !this.options.fields.email) {
      throw new DeliveryError(
        `${this.label}: repairing static list ${site.listId} sends members' emails to find their leads, and marketo.fields does not include email: add email to fields, or check without repair`,
        { retryable: false },
      );
    }
    const outcome = await this.guard(site, context, () =>
      mirrorList(this.transport, site.listId, expected, {
        repair: options.repair,
        signal: context.signal,
        match: this.options.fields,
      }),
    );
    const { missing, unexpected, added, removed, stillMissing } = outcome;
    context.log({
      ...this.logFields(options.repair ? 'marketo list mirror repaired' : 'marketo list mirror checked', site),
      missing: missing.length,
      unexpected: unexpected.length,
      ...(options.repair ? { added, removed, stillMissing } : {}),
    });
    return { missing, unexpected };
  }

  /** Nothing to release: calls end with their batches, and the limiter's timers end by themselves. */
  async close(): Promise<void> {}

  /** Runs `work`, turning its failures into `DeliveryError`s that name the destination and list. */
  private async guard<T>(site: ListCallSite, context: DeliveryContext, work: () => Promise<T>): Promise<T> {
    try {
      context.signal.throwIfAborted();
      return await work();
    } catch (error) {
      if (context.signal.aborted && !(error instanceof DeliveryError)) throw cancelledDelivery(site, error);
      throw await deliveryErrorOf(error, site, this.options.budget);
    }
  }

  private siteOf(binding: SegmentBinding): ListCallSite {
    if (binding.listId === undefined) {
      throw new DeliveryError(
        `${this.label}: segment ${binding.segment} has no listId; set listId to the id of the Marketo static list that receives its members`,
        { retryable: false },
      );
    }
    return { destination: this.label, segment: binding.segment, listId: binding.listId };
  }

  private logFields(msg: string, site: ListCallSite): Record<string, unknown> {
    return {
      level: 'info',
      msg,
      destination: this.name,
      segment: site.segment,
      listId: site.listId,
      callsToday: this.options.budget.usedToday,
    };
  }
}
