import type Router from '@koa/router';
import { z } from 'zod';
import { NotFoundError } from '../../../app/errors.js';
import { SEARCH_MODES, type SimilarHit } from '../../../model/search/similar-prompts.js';
import { requireScope } from '../auth.js';
import { assertValid } from '../body.js';
import type { IndexFollower } from '../../../adapters/hnsw/index-follower.js';
import type { RedisPromptStore } from '../../../adapters/redis/redis-prompt-store.js';
import type { Embedder } from '../../../model/ports/embedder.js';
import type { Config } from '../../config.js';
import { campaignOrThrow, type CampaignReads } from '../../../app/queries.js';
import { mergeShardHits } from '../../../model/search/shard-merge.js';
import type { ShardSearchClient } from '../../../adapters/search-shards/shard-client.js';

/** What search needs: the query embedder, the index and the prompt records. */
export interface PromptRouteDeps {
  config: Pick<Config, 'MAX_TEXT_CHARS'>;
  embedder: Embedder;
  index: IndexFollower;
  store: RedisPromptStore;
  campaigns: CampaignReads;
  /** With index shards (SEARCH_SHARD_URLS), text search asks each of them and merges. */
  shards?: ShardSearchClient;
}

const k = z.coerce.number({ invalid_type_error: 'k must be a number' }).int('k must be an integer').min(1, 'k must be at least 1').max(100, 'k must be at most 100').default(10);
const accountFilter = {
  accountId: z.string().min(1).max(200).optional(),
  excludeAccountId: z.string().min(1).max(200).optional(),
};
const instant = (name: string) =>
  z
    .string()
    .datetime({ offset: true, message: `${name} must be an ISO-8601 time, e.g. 2026-05-01T00:00:00Z` })
    .transform((t) => Date.parse(t))
    .optional();
/** What a text search can be narrowed to besides accounts. */
const searchFilters = {
  campaign: z.string().min(1).max(200).optional(),
  area: z.string().min(1).max(50).optional(),
  from: instant('from'),
  to: instant('to'),
};

export function promptRoutes(router: Router, deps: PromptRouteDeps): void {
  const searchQuery = z
    .object({
      text: z.string({ required_error: 'text is required' }).min(1, 'text must not be empty').max(deps.config.MAX_TEXT_CHARS),
      k,
      mode: z.enum(SEARCH_MODES, { errorMap: () => ({ message: `mode must be one of ${SEARCH_MODES.join(', ')}` }) }).default('hybrid'),
      ...accountFilter,
      ...searchFilters,
    })
    .strict()
    .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });
  const similarQuery = z.object({ k, ...accountFilter }).strict();

  async function present(hits: (SimilarHit & { lexicalScore?: number | null })[]) {
    const prompts = await deps.store.getPrompts(hits);
    return hits.flatMap((h, i) => {
      const p = prompts[i];
      const lexical = h.lexicalScore === undefined ? {} : { lexicalScore: h.lexicalScore === null ? null : round(h.lexicalScore) };
      const clusterId = deps.index.clusters.clusterIdOf(h.label) ?? null;
      return p ? [{ promptId: h.promptId, accountId: h.accountId, clusterId, similarity: round(h.similarity), ...lexical, ts: new Date(p.ts).toISOString(), text: p.text }] : [];
    });
  }

  async function searchHere(q: z.output<typeof searchQuery>) {
    const { text, mode, campaign, ...query } = q;
    const accountIds = campaign === undefined ? {} : { accountIds: (await campaignOrThrow(deps.campaigns, campaign)).members };
    const [vector] = await deps.embedder.embed([text]);
    return { mode, hits: await present(deps.index.prompts.searchText(text, vector!, { ...query, ...accountIds }, mode)) };
  }

  router.get('/v1/search', requireScope('analyst'), async (ctx) => {
    const q = searchQuery.safeParse(ctx.query);
    assertValid(q);
    if (!deps.shards) {
      ctx.body = await searchHere(q.data!);
      return;
    }
    const answers = await deps.shards.search<Awaited<ReturnType<typeof present>>[number]>(ctx.querystring, ctx.get('authorization') || undefined);
    ctx.body = { mode: q.data!.mode, hits: mergeShardHits(answers, q.data!.mode, q.data!.k) };
  });

  /** This process's index shard alone: what a fanned-out /v1/search asks each shard. */
  router.get('/v1/search/shard', requireScope('analyst'), async (ctx) => {
    const q = searchQuery.safeParse(ctx.query);
    assertValid(q);
    ctx.body = await searchHere(q.data!);
  });

  router.get('/v1/prompts/:promptId', requireScope('analyst'), async (ctx) => {
    const prompt = await deps.store.getPrompt(ctx.params.promptId!);
    if (!prompt) throw new NotFoundError(`prompt ${ctx.params.promptId}`);
    ctx.body = {
      promptId: prompt.promptId,
      accountId: prompt.accountId,
      ts: new Date(prompt.ts).toISOString(),
      text: prompt.text,
      ...(prompt.metadata ? { metadata: prompt.metadata } : {}),
      indexed: deps.index.prompts.index.has(prompt.label),
    };
  });

  router.get('/v1/prompts/:promptId/similar', requireScope('analyst'), async (ctx) => {
    const q = similarQuery.safeParse(ctx.query);
    assertValid(q);
    const prompt = await deps.store.getPrompt(ctx.params.promptId!);
    const vector = prompt && deps.index.prompts.vectorOf(prompt.label);
    if (!prompt || !vector) throw new NotFoundError(`indexed prompt ${ctx.params.promptId}`);
    const hits = deps.index.prompts.search(vector, { ...q.data!, k: q.data!.k + 1 }).filter((h) => h.label !== prompt.label);
    ctx.body = { promptId: prompt.promptId, hits: await present(hits.slice(0, q.data!.k)) };
  });
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
