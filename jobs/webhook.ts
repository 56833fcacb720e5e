import { z } from 'zod';
import { defineQueue } from './define.js';

export const webhookQueue = defineQueue({
  name: 'webhook',
  payload: z.object({ eventId: z.string().regex(/^\d+-\d+$/), type: z.string().min(1), data: z.string() }),
  jobId: (p) => `wh-${p.eventId.replace('-', '_')}`,
  options: {
    attempts: 12,
    backoff: { type: 'exponential', delay: 1000 },
    // Kept a day so the relay's re-enqueue after a crash stays a no-op.
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: false,
  },
});
