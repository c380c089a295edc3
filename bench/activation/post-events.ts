import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The push load of the streaming delivery benchmark. */
export interface StreamingLoad {
  eventsPerSecond: number;
  seconds: number;
  /** One push every `intervalMs`, carrying that interval's events. */
  intervalMs: number;
}

/** What the open-loop push did. */
export interface PostedEvents {
  /** When the push carrying each email's signup started (epoch ms, the receiver's clock). */
  startedAt: Map<string, number>;
  requests: number;
  perRequest: number;
  /** Pushes not answered 200. */
  failures: number;
  seconds: number;
  /** 99th percentile of the push's own request-to-answer time (ingest, stitch, streaming evaluation), ms. */
  pushP99: number;
}

function streamingEmail(i: number): string {
  return `signup${i}@stream.example`;
}

/** `data/people.csv` of the CRM file source: persons 1..count, each with an email and a first name. */
export async function loadStreamingPersons(dir: string, count: number): Promise<void> {
  const lines = ['id,email,first'];
  for (let i = 1; i <= count; i++) lines.push(`${i},${streamingEmail(i)},First${i}`);
  await fs.mkdir(path.join(dir, 'data'), { recursive: true });
  await fs.writeFile(path.join(dir, 'data', 'people.csv'), `${lines.join('\n')}\n`);
}

/**
 * Pushes one `signup.completed` per person (1, 2, ... in order) to `endpoint` at the load's rate,
 * a push every `intervalMs` without waiting for earlier ones (open loop: a server that falls behind
 * shows it as latency, not as a lower rate). Resolves once every push is answered.
 */
export async function postEventsOpenLoop(endpoint: string, token: string, load: StreamingLoad): Promise<PostedEvents> {
  const perRequest = Math.max(1, Math.round((load.eventsPerSecond * load.intervalMs) / 1000));
  const requests = Math.round((load.seconds * 1000) / load.intervalMs);
  const posted: PostedEvents = { startedAt: new Map(), requests, perRequest, failures: 0, seconds: 0, pushP99: 0 };
  const pushTimes: number[] = [];
  let person = 0;
  const push = async (): Promise<void> => {
    const emails = Array.from({ length: perRequest }, () => streamingEmail(++person));
    const at = new Date().toISOString();
    const started = Date.now();
    for (const email of emails) posted.startedAt.set(email, started);
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records: emails.map((email) => ({ type: 'signup.completed', email, at })) }),
    });
    await response.arrayBuffer();
    if (response.status !== 200) posted.failures++;
    pushTimes.push(Date.now() - started);
  };
  const begun = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let r = 0; r < requests; r++) {
    const wait = begun + r * load.intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(push());
  }
  await Promise.all(inFlight);
  posted.seconds = (Date.now() - begun) / 1000;
  pushTimes.sort((a, b) => a - b);
  posted.pushP99 = pushTimes[Math.min(pushTimes.length - 1, Math.floor(0.99 * pushTimes.length))] ?? 0;
  return posted;
}
