import type { Redis } from 'ioredis';
import type { EmbeddedSample, PromptStore } from '../../app/ingest.js';
import { decodePrompt, promptBody, runScript, type RedisKeys, type StoredPrompt } from './schema.js';

export type ClaimVerdict = 'new' | 'duplicate' | 'pending';
const VERDICTS: ClaimVerdict[] = ['duplicate', 'new', 'pending'];

export class ModelMismatchError extends Error {}

/** Vectors of two models are not comparable: refuse to start on a store another model filled. */
export async function assertStoreModel(store: RedisPromptStore, prefix: string, model: { id: string; dimension: number }): Promise<void> {
  const held = await store.storedModel();
  if (held && (held.model !== model.id || held.dimension !== model.dimension)) {
    throw new ModelMismatchError(
      `Redis prefix ${prefix} holds vectors from ${held.model} (${held.dimension}-d) but EMBED_MODEL is ${model.id}; ` +
        'use the same model or another KEY_PREFIX',
    );
  }
}

export class RedisPromptStore implements PromptStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly model: { id: string; dimension: number },
  ) {}

  async findStored(promptIds: readonly string[]): Promise<Set<string>> {
    if (promptIds.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of promptIds) pipeline.exists(this.keys.prompt(id));
    const results = (await pipeline.exec()) ?? [];
    const stored = new Set<string>();
    results.forEach(([err, n], i) => {
      if (err) throw err;
      if (n === 1) stored.add(promptIds[i]!);
    });
    return stored;
  }

  async store(batchId: string, samples: readonly EmbeddedSample[]): Promise<number> {
    if (samples.length === 0) return 0;
    const k = this.keys;
    const keys: string[] = [k.meta, k.labelSeq, k.vectorLog, k.accounts, k.dirty];
    const args: (string | Buffer)[] = [batchId, this.model.id, String(this.model.dimension)];
    for (const s of samples) {
      keys.push(k.prompt(s.promptId), k.claim(s.promptId), k.account(s.accountId), k.pending(s.accountId), k.accountPrompts(s.accountId), k.body(s.promptId));
      args.push(
        s.promptId,
        s.accountId,
        String(s.ts),
        s.text,
        Buffer.from(s.vector.buffer, s.vector.byteOffset, s.vector.byteLength),
        promptBody.encode(s.text, s.metadata),
        s.classification.subArea,
        s.classification.area,
        s.classification.highValue ? '1' : '0',
        String(s.classification.confidence),
      );
    }
    try {
      return (await runScript(this.redis, 'store', keys, args)) as number;
    } catch (err) {
      if (err instanceof Error && err.message.includes('MODEL_MISMATCH')) {
        throw new ModelMismatchError(err.message.replace(/^.*MODEL_MISMATCH /, ''));
      }
      throw err;
    }
  }

  /** Claims promptIds for a batch about to be enqueued (claim.lua says when a claim is taken over). */
  async claim(batchId: string, promptIds: readonly string[], graceMs: number): Promise<ClaimVerdict[]> {
    const keys = promptIds.flatMap((id) => [this.keys.prompt(id), this.keys.claim(id)]);
    const out = (await runScript(this.redis, 'claim', keys, [batchId, Date.now(), graceMs])) as number[];
    return out.map((n) => VERDICTS[n]!);
  }

  /** The batch's job is enqueued: its claims are no longer anyone else's to take over. */
  async markEnqueued(batchId: string, promptIds: readonly string[]): Promise<void> {
    if (promptIds.length) await runScript(this.redis, 'markEnqueued', promptIds.map((id) => this.keys.claim(id)), [batchId]);
  }

  async getPrompt(promptId: string): Promise<StoredPrompt | undefined> {
    return (await this.getPrompts([promptId]))[0];
  }

  async getPrompts(promptIds: readonly string[]): Promise<(StoredPrompt | undefined)[]> {
    if (promptIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of promptIds) pipeline.hgetall(this.keys.prompt(id)).getBuffer(this.keys.body(id));
    const results = (await pipeline.exec()) ?? [];
    return promptIds.map((id, i) => {
      const [[hashErr, h], [bodyErr, body]] = [results[2 * i]!, results[2 * i + 1]!];
      if (hashErr ?? bodyErr) throw hashErr ?? bodyErr;
      return decodePrompt(id, h as Record<string, string>, body as Buffer | null);
    });
  }

  /** The model that produced the stored vectors, if any has been stored. */
  async storedModel(): Promise<{ model: string; dimension: number } | undefined> {
    const [model, dim] = await this.redis.hmget(this.keys.meta, 'model', 'dim');
    return model ? { model, dimension: Number(dim) } : undefined;
  }
}
