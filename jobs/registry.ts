import { Queue, type ConnectionOptions } from 'bullmq';
import type { z } from 'zod';
import type { QueueDefinition } from './define.js';
import { campaignsQueue } from './campaigns.js';
import { ingestQueue } from './ingest.js';
import { reclassifyQueue } from './reclassify.js';
import { retentionQueue } from './retention.js';
import { scoreQueue } from './score.js';
import { webhookQueue } from './webhook.js';

/** Every queue the service runs; producers and workers both go through here. */
export const queueDefinitions = { ingest: ingestQueue, score: scoreQueue, webhook: webhookQueue, reclassify: reclassifyQueue, retention: retentionQueue, campaigns: campaignsQueue } as const;

export type QueueName = keyof typeof queueDefinitions;
type PayloadOf<N extends QueueName> = z.infer<(typeof queueDefinitions)[N]['payload']>;

export class Queues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: ConnectionOptions,
    readonly prefix: string,
    /** Connection errors while Redis is away; without a listener BullMQ prints each one. */
    private readonly onError: (err: Error, queue: QueueName) => void = () => {},
  ) {}

  get(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(queueDefinitions[name].name, { connection: this.connection, prefix: this.prefix });
      q.on('error', (err) => this.onError(err, name));
      this.queues.set(name, q);
    }
    return q;
  }

  /** Validates the payload against the registry before it reaches Redis. */
  async enqueue<N extends QueueName>(name: N, payload: PayloadOf<N>): Promise<string> {
    const def = queueDefinitions[name] as QueueDefinition<z.ZodTypeAny>;
    const data = def.payload.parse(payload);
    const jobId = def.jobId(data);
    await this.get(name).add(def.name, data, { ...def.options, jobId });
    return jobId;
  }

  /** Runs the queue's job every `everyMs`; one scheduler per queue however many processes call this. */
  async schedule<N extends QueueName>(name: N, everyMs: number, payload: PayloadOf<N>): Promise<void> {
    const def = queueDefinitions[name] as QueueDefinition<z.ZodTypeAny>;
    const data = def.payload.parse(payload);
    await this.get(name).upsertJobScheduler(def.jobId(data), { every: everyMs }, { name: def.name, data, opts: def.options });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
