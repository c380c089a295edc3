import { createHmac, timingSafeEqual } from 'node:crypto';

/** Name of the header carrying the body's signature. */
export const SIGNATURE_HEADER = 'x-roster-signature';

/**
 * The `X-Roster-Signature` value of `body`: `sha256=<hex HMAC-SHA256 of the exact bytes>`. Signed
 * over bytes, not over parsed JSON, so a receiver verifies before it parses anything.
 */
export function signWebhookBody(body: Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `signature` (the header as received) signs `body` with `secret`; compared in constant time. */
export function webhookSignatureMatches(body: Buffer, signature: string | undefined, secret: string): boolean {
  if (signature === undefined) return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const received = Buffer.from(signature.trim());
  // timingSafeEqual throws on different lengths; a length mismatch reveals nothing about the key.
  return received.length === expected.length && timingSafeEqual(received, expected);
}
