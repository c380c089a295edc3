import type { MarketoAnswer } from '../../../ingest/marketo/marketo-answer';
import { MarketoTransport, type Query, type TransportSettings } from '../../../ingest/marketo/marketo-transport';
import type { DailyCallBudget } from './daily-call-budget';

/**
 * The Marketo transport of one destination connector, with every call counted against the
 * destination's daily budget before it starts. Everything else (token, limiter, retries, secret
 * redaction) is `MarketoTransport`'s; one instance, hence one limiter, serves all of the
 * connector's batches, so concurrent batches share the instance's 10 calls / 100 per 20 s.
 */
export class MeteredTransport extends MarketoTransport {
  constructor(
    settings: TransportSettings,
    private readonly budget: DailyCallBudget,
  ) {
    super(settings);
  }

  /** `MarketoTransport.callJson`, refused with a retryable `DeliveryError` once today's calls are spent. */
  override callJson<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: { query?: Query; body?: unknown; form?: Query } = {},
  ): Promise<MarketoAnswer<T>> {
    try {
      this.budget.take();
    } catch (error) {
      return Promise.reject(error);
    }
    return super.callJson<T>(method, path, options);
  }
}
