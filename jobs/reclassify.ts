import { z } from 'zod';
import { defineQueue } from './define.js';

export const reclassifyQueue = defineQueue({
  name: 'reclassify',
  payload: z.object({ revision: z.string().min(1).max(200) }),
  jobId: (p) => `reclassify-${p.revision.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
  options: { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: false },
});
