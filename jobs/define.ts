import { UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import type { z } from 'zod';

export interface QueueDefinition<Schema extends z.ZodTypeAny> {
  name: string;
  payload: Schema;
  /** Deterministic, so a re-submitted payload is the same job and retries stay idempotent. */
  jobId(payload: z.infer<Schema>): string;
  options: JobsOptions;
}

export function defineQueue<Schema extends z.ZodTypeAny>(def: QueueDefinition<Schema>): QueueDefinition<Schema> {
  return def;
}

/** A payload that does not parse will never succeed: fail it for good instead of retrying. */
export function parsePayload<Schema extends z.ZodTypeAny>(def: QueueDefinition<Schema>, job: Job): z.infer<Schema> {
  const parsed = def.payload.safeParse(job.data);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new UnrecoverableError(`invalid ${def.name} payload: ${detail}`);
  }
  return parsed.data;
}
