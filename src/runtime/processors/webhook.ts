import type { Job } from 'bullmq';
import { deliverWebhook, type WebhookTarget } from '../../adapters/webhook/deliver.js';
import { parsePayload } from '../../../jobs/define.js';
import { webhookQueue } from '../../../jobs/webhook.js';

export function webhookProcessor(target: WebhookTarget) {
  return async (job: Job): Promise<{ status: number }> => {
    const { eventId, type, data } = parsePayload(webhookQueue, job);
    return { status: await deliverWebhook(target, { id: eventId, type, data: JSON.parse(data) as unknown }) };
  };
}
