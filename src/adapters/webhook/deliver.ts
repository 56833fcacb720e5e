import { createHmac } from 'node:crypto';

export interface WebhookTarget {
  url: string;
  secret: string;
  timeoutMs: number;
}

/**
 * Signs `${timestamp}.${body}` with HMAC-SHA256, so a receiver can check both origin and freshness
 * (reject old timestamps to stop replays).
 */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookRejectedError extends Error {}

/** One delivery attempt; throws on anything but a 2xx so the queue retries with backoff. */
export async function deliverWebhook(target: WebhookTarget, event: { id: string; type: string; data: unknown }): Promise<number> {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const res = await fetch(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-distill-radar-event': event.type,
      'x-distill-radar-delivery': event.id,
      'x-distill-radar-timestamp': timestamp,
      'x-distill-radar-signature': signature(target.secret, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(target.timeoutMs),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new WebhookRejectedError(`webhook answered ${res.status}`);
  return res.status;
}
