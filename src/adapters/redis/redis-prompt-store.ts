import type { Redis } from 'ioredis';
import type { EmbeddedSample, PromptRef, PromptStore } from '../../app/ingest.js';
import { archiveKey, type PromptArchive } from '../../app/prompt-archive.js';
import { decodePrompt, groupByShard, pipelineByShard, PROMPT, promptBody, runScript, type RedisKeys, type ShardKeys, type StoredPrompt } from './schema.js';

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

/** A prompt looked up by id alone: its account, and so its shard, is unknown. */
export interface PromptById {
  promptId: string;
  accountId?: undefined;
}

export class RedisPromptStore implements PromptStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly model: { id: string; dimension: number },
    /** Where bodies go instead of Redis (ARCHIVE_URL); they are written before the records that name them. */
    private readonly archive?: PromptArchive,
  ) {}

  async findStored(refs: readonly PromptRef[]): Promise<Set<string>> {
    const found = await pipelineByShard(this.redis, refs, (r) => this.keys.of(r.accountId), (p, k, r) => p.exists(k.prompt(r.promptId)));
    return new Set(refs.filter((_, i) => found[i]![0] === 1).map((r) => r.promptId));
  }

  /** One store.lua call per shard the samples' accounts hash to (a script runs within one slot). */
  async store(batchId: string, samples: readonly EmbeddedSample[]): Promise<number> {
    // Archived first: a crash before the commit leaves a body no record names, which the retry rewrites as it is.
    await this.archive?.put(samples.map((s) => ({ accountId: s.accountId, promptId: s.promptId, ts: s.ts, body: promptBody.encode(s.text, s.metadata) })));
    const counts = await Promise.all([...this.byShard(samples)].map(([shard, group]) => this.storeInShard(batchId, shard, group)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async storeInShard(batchId: string, k: ShardKeys, samples: readonly EmbeddedSample[]): Promise<number> {
    const keys: string[] = [k.meta, k.labelSeq, k.vectorLog, k.accounts, k.dirty];
    const args: (string | number | Buffer)[] = [batchId, this.model.id, String(this.model.dimension), this.keys.shards.length, k.shard];
    for (const s of samples) {
      keys.push(k.prompt(s.promptId), k.claim(s.promptId), k.account(s.accountId), k.pending(s.accountId), k.accountPrompts(s.accountId), k.body(s.promptId));
      args.push(
        s.promptId,
        s.accountId,
        String(s.ts),
        s.text,
        Buffer.from(s.vector.buffer, s.vector.byteOffset, s.vector.byteLength),
        this.archive ? '' : promptBody.encode(s.text, s.metadata),
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
  async claim(batchId: string, refs: readonly PromptRef[], graceMs: number): Promise<ClaimVerdict[]> {
    const out: ClaimVerdict[] = new Array(refs.length);
    const now = Date.now();
    await Promise.all(
      [...this.byShard(refs.map((r, i) => ({ ...r, i })))].map(async ([k, group]) => {
        const verdicts = (await runScript(this.redis, 'claim', group.flatMap((r) => [k.prompt(r.promptId), k.claim(r.promptId)]), [batchId, now, graceMs])) as number[];
        group.forEach((r, j) => (out[r.i] = VERDICTS[verdicts[j]!]!));
      }),
    );
    return out;
  }

  /** The batch's job is enqueued: its claims are no longer anyone else's to take over. */
  async markEnqueued(batchId: string, refs: readonly PromptRef[]): Promise<void> {
    await Promise.all([...this.byShard(refs)].map(([k, group]) => runScript(this.redis, 'markEnqueued', group.map((r) => k.claim(r.promptId)), [batchId])));
  }

  /** A prompt by id alone, looked for in every shard (an account's promptIds are its own, so the first found). */
  async getPrompt(promptId: string): Promise<StoredPrompt | undefined> {
    return (await this.getPrompts([{ promptId }]))[0];
  }

  /** Prompts by reference; one without its account is looked for in every shard, the first found wins. */
  async getPrompts(refs: readonly (PromptRef | PromptById)[]): Promise<(StoredPrompt | undefined)[]> {
    const lookups = refs.flatMap((r, i) => (r.accountId === undefined ? this.keys.shards : [this.keys.of(r.accountId)]).map((k) => ({ i, k, promptId: r.promptId })));
    const replies = await pipelineByShard(this.redis, lookups, (l) => l.k, (p, k, l) => p.hgetall(k.prompt(l.promptId)).getBuffer(k.body(l.promptId)));
    const found = lookups.flatMap((l, j) => {
      const [h, body] = replies[j] as [Record<string, string>, Buffer | null];
      return h[PROMPT.accountId] === undefined ? [] : [{ ...l, h, body }];
    });
    // Records whose body is in the archive (neither a body key nor the text of the oldest records).
    const archived = this.archive && (await this.archive.get(found.filter((f) => !f.body && f.h[PROMPT.text] === undefined)));
    const out: (StoredPrompt | undefined)[] = new Array(refs.length);
    for (const f of found) out[f.i] ??= decodePrompt(f.promptId, f.h, f.body ?? archived?.get(archiveKey(f.h[PROMPT.accountId]!, f.promptId)) ?? null);
    return out;
  }

  /** Before erasure or retention drops the account's records: their archived bodies go first, so none outlives its record. */
  async forget(accountId: string, promptIds: readonly string[]): Promise<void> {
    await this.archive?.delete(accountId, promptIds);
  }

  /** The model that produced the stored vectors, if any has been stored (every shard checks it on store). */
  async storedModel(): Promise<{ model: string; dimension: number } | undefined> {
    for (const k of this.keys.shards) {
      const [model, dim] = await this.redis.hmget(k.meta, 'model', 'dim');
      if (model) return { model, dimension: Number(dim) };
    }
    return undefined;
  }

  private byShard<T extends { accountId: string }>(items: readonly T[]): Map<ShardKeys, T[]> {
    return groupByShard(items, (item) => this.keys.of(item.accountId));
  }
}
