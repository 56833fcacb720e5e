import type { Redis } from 'ioredis';
import type { EmbeddedSample, PromptStore } from '../../app/ingest.js';
import type { Classification } from '../../model/scoring/classifier.js';
import type { RedisKeys } from './redis-keys.js';

export interface StoredPrompt {
  promptId: string;
  accountId: string;
  ts: number;
  text: string;
  label: number;
  batchId: string;
  metadata?: Record<string, unknown>;
  classification: Classification;
}

/*
 * One script call commits a chunk; Redis runs it atomically, so for every sample either all of
 * (record, label, account counters, the account's pending-score entry, index-log entry) exist or
 * none do. The existence check on the
 * record makes a re-run after a crash, or the same promptId from a concurrent batch, a no-op.
 */
const STORE_SCRIPT = `
local p, batch, model, dim = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local held = redis.call('HGET', p .. ':meta', 'model')
if not held then
  redis.call('HSET', p .. ':meta', 'model', model, 'dim', dim)
elseif held ~= model then
  return redis.error_reply('MODEL_MISMATCH vectors in this store come from ' .. held .. ', not ' .. model)
end
local stored = 0
for i = 5, #ARGV, 10 do
  local pid, aid, ts = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local key = p .. ':prompt:' .. pid
  if redis.call('EXISTS', key) == 0 then
    local label = redis.call('INCR', p .. ':seq:label')
    redis.call('HSET', key, 'a', aid, 't', ts, 'x', ARGV[i + 3], 'l', label, 'b', batch, 'm', ARGV[i + 5],
      'c', ARGV[i + 6], 'r', ARGV[i + 7], 'h', ARGV[i + 8], 'q', ARGV[i + 9])
    local acct = p .. ':acct:' .. aid
    redis.call('HINCRBY', acct, 'n', 1)
    local first = redis.call('HGET', acct, 'first')
    if not first or tonumber(ts) < tonumber(first) then redis.call('HSET', acct, 'first', ts) end
    local last = redis.call('HGET', acct, 'last')
    if not last or tonumber(ts) > tonumber(last) then redis.call('HSET', acct, 'last', ts) end
    redis.call('XADD', p .. ':log:vectors', '*', 'l', label, 'p', pid, 'a', aid, 'v', ARGV[i + 4])
    redis.call('RPUSH', acct .. ':pending', pid)
    redis.call('ZADD', acct .. ':prompts', ts, pid)
    redis.call('SADD', p .. ':accounts', aid)
    redis.call('SADD', p .. ':dirty', aid)
    stored = stored + 1
  end
  redis.call('DEL', p .. ':claim:' .. pid)
end
return stored
`;

/*
 * Decides at submission which samples are new. A claim names the batch that will store the sample
 * and when it was made. Another batch may take it over only when the claiming batch's job does not
 * exist and the claim is older than the grace period: the claimer's request failed before it
 * enqueued, so a client that re-batches after an error loses nothing. A younger claim without a job
 * is answered "pending" (2): its request is probably between claiming and enqueueing, and the caller
 * asks again shortly rather than guessing.
 */
const CLAIM_SCRIPT = `
local p, jobPrefix, batch, now, grace = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local out = {}
for i = 6, #ARGV do
  local pid = ARGV[i]
  local verdict = 0
  if redis.call('EXISTS', p .. ':prompt:' .. pid) == 0 then
    local claim = redis.call('GET', p .. ':claim:' .. pid)
    local holder, at = nil, 0
    if claim then holder, at = string.match(claim, '^([^|]*)|(%d+)$') end
    if not holder or holder == batch then
      verdict = 1
    elseif redis.call('EXISTS', jobPrefix .. holder) == 0 then
      if now - tonumber(at) >= grace then verdict = 1 else verdict = 2 end
    end
    if verdict == 1 then redis.call('SET', p .. ':claim:' .. pid, batch .. '|' .. now) end
  end
  out[#out + 1] = verdict
end
return out
`;

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
    const args: (string | Buffer)[] = [this.keys.prefix, batchId, this.model.id, String(this.model.dimension)];
    for (const s of samples) {
      args.push(
        s.promptId,
        s.accountId,
        String(s.ts),
        s.text,
        Buffer.from(s.vector.buffer, s.vector.byteOffset, s.vector.byteLength),
        s.metadata ? JSON.stringify(s.metadata) : '',
        s.classification.subArea,
        s.classification.area,
        s.classification.highValue ? '1' : '0',
        String(s.classification.confidence),
      );
    }
    try {
      return (await this.redis.eval(STORE_SCRIPT, 0, ...args)) as number;
    } catch (err) {
      if (err instanceof Error && err.message.includes('MODEL_MISMATCH')) {
        throw new ModelMismatchError(err.message.replace(/^.*MODEL_MISMATCH /, ''));
      }
      throw err;
    }
  }

  /** Claims promptIds for a batch whose job will live under `jobKeyPrefix + batchId`. */
  async claim(batchId: string, jobKeyPrefix: string, promptIds: readonly string[], graceMs: number): Promise<ClaimVerdict[]> {
    const out = (await this.redis.eval(CLAIM_SCRIPT, 0, this.keys.prefix, jobKeyPrefix, batchId, Date.now(), graceMs, ...promptIds)) as number[];
    return out.map((n) => VERDICTS[n]!);
  }

  async getPrompt(promptId: string): Promise<StoredPrompt | undefined> {
    const h = await this.redis.hgetall(this.keys.prompt(promptId));
    return h.a === undefined ? undefined : toPrompt(promptId, h);
  }

  async getPrompts(promptIds: readonly string[]): Promise<(StoredPrompt | undefined)[]> {
    if (promptIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of promptIds) pipeline.hgetall(this.keys.prompt(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([err, h], i) => {
      if (err) throw err;
      const hash = h as Record<string, string>;
      return hash.a === undefined ? undefined : toPrompt(promptIds[i]!, hash);
    });
  }

  /** The model that produced the stored vectors, if any has been stored. */
  async storedModel(): Promise<{ model: string; dimension: number } | undefined> {
    const [model, dim] = await this.redis.hmget(this.keys.meta, 'model', 'dim');
    return model ? { model, dimension: Number(dim) } : undefined;
  }
}

function toPrompt(promptId: string, h: Record<string, string>): StoredPrompt {
  const prompt: StoredPrompt = {
    promptId,
    accountId: h.a!,
    ts: Number(h.t),
    text: h.x ?? '',
    label: Number(h.l),
    batchId: h.b ?? '',
    classification: { subArea: h.c ?? '', area: h.r ?? '', highValue: h.h === '1', confidence: Number(h.q ?? 0) },
  };
  if (h.m) prompt.metadata = JSON.parse(h.m) as Record<string, unknown>;
  return prompt;
}
