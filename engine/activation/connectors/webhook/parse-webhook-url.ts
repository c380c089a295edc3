import { bareHost } from '../../../util/private-address';
import { DeliveryError } from '../../connector';

/** A webhook endpoint, parsed once per delivery, with the forms errors may show. */
export interface WebhookUrl {
  url: URL;
  /** The host as the allow-list and the SSRF rules see it (`0x7f.1` is `127.0.0.1`, no brackets). */
  host: string;
  /**
   * The URL for messages: scheme, host as written and port only. Paths and queries often carry
   * tokens (`/services/T000/B000/XXXX`), and a URL may come from a secret reference.
   */
  shown: string;
}

/** Parses the destination's URL; a URL that is not http(s) is a non-retryable `DeliveryError`. */
export function parseWebhookUrl(raw: string, where: string): WebhookUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new DeliveryError(`${where}: webhook.url is not a URL; write it as https://host/path`, {
      retryable: false,
      cause: error,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new DeliveryError(`${where}: webhook.url uses ${url.protocol}; only https:// and http:// are allowed`, {
      retryable: false,
    });
  return { url, host: bareHost(url.hostname), shown: showUrl(raw, url) };
}

function showUrl(raw: string, url: URL): string {
  // The URL parser normalises hosts (0x7f.1 becomes 127.0.0.1); messages show what the file says.
  const written = /^[a-z]+:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(raw)?.[1]?.toLowerCase() ?? url.hostname;
  const port = url.port === '' ? '' : `:${url.port}`;
  const rest = url.pathname === '/' && url.search === '' ? '/' : '/…';
  return `${url.protocol}//${written}${port}${rest}`;
}
