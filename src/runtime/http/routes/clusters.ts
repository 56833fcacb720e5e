import type Router from '@koa/router';
import { z } from 'zod';
import type { RedisPromptStore } from '../../../adapters/redis/redis-prompt-store.js';
import { NotFoundError } from '../../../app/errors.js';
import type { AccountReads } from '../../../app/queries.js';
import type { Projector } from '../../../model/ports/projector.js';
import type { ClusterSummary, PromptClusters } from '../../../model/search/prompt-clusters.js';
import { isFlagged } from '../../../model/scoring/score.js';
import { requireScope } from '../auth.js';
import { assertValid } from '../body.js';
import { decodeCursor, nextCursor, pageFields } from '../cursor.js';
import { round4 } from '../presenter.js';

/** What the cluster views read: the clusters the index keeps, prompt texts, account tiers. */
export interface ClusterRouteDeps {
  clusters: PromptClusters;
  /** A prompt's vector in the search index, for a cluster's position on the map. */
  vectorOf(label: number): Float32Array | undefined;
  projector: Projector;
  store: Pick<RedisPromptStore, 'getPrompts'>;
  accounts: AccountReads;
}

/** Accounts a cluster's detail ranks (and weighs for the flagged share). */
const TOP_ACCOUNTS = 50;

const listQuery = z
  .object({
    minSize: z.coerce.number({ invalid_type_error: 'minSize must be a number' }).int().min(1, 'minSize must be at least 1').default(2),
    area: z.string().max(50).optional(),
    q: z.string().max(200).optional(),
    ...pageFields(200, 50),
  })
  .strict();

export function presentCluster({ firstTs, lastTs, ...c }: ClusterSummary) {
  return { ...c, firstSeen: new Date(firstTs).toISOString(), lastSeen: new Date(lastTs).toISOString() };
}

const mapQuery = z
  .object({
    minSize: z.coerce.number({ invalid_type_error: 'minSize must be a number' }).int().min(1, 'minSize must be at least 1').default(2),
    limit: z.coerce.number({ invalid_type_error: 'limit must be a number' }).int().min(1, 'limit must be 1 to 2000').max(2000, 'limit must be 1 to 2000').default(500),
  })
  .strict();

/** The mean of a cluster's example vectors, normalised: where it sits among the others. */
function centre(labels: readonly number[], vectorOf: (label: number) => Float32Array | undefined): Float32Array | undefined {
  const vs = labels.map(vectorOf).filter((v): v is Float32Array => !!v);
  if (!vs.length) return undefined;
  const out = new Float32Array(vs[0]!.length);
  for (const v of vs) for (let i = 0; i < v.length; i++) out[i]! += v[i]!;
  const norm = Math.hypot(...out) || 1;
  return out.map((x) => x / norm);
}

/**
 * The share of each cluster's prompts that flagged accounts sent, counted over its top accounts,
 * with their tiers read in one batch: tiers change between requests, so this is never cached.
 */
async function withFlaggedShares<T extends { size: number; topAccounts: { accountId: string; prompts: number }[] }>(clusters: readonly T[], reads: AccountReads) {
  const tiers = await reads.accounts([...new Set(clusters.flatMap((c) => c.topAccounts.map((a) => a.accountId)))]);
  const tierOf = (accountId: string) => tiers.get(accountId)?.tier ?? 'none';
  return clusters.map((c) => ({
    cluster: c,
    tierOf,
    flaggedShare: round4(c.topAccounts.filter((a) => isFlagged(tierOf(a.accountId))).reduce((n, a) => n + a.prompts, 0) / c.size),
  }));
}

export function clusterRoutes(router: Router, deps: ClusterRouteDeps): void {
  // The projection is computed on request and cached until prompts are placed or removed.
  let cached: { key: string; points: (ReturnType<typeof presentCluster> & { x: number; y: number; topAccounts: { accountId: string; prompts: number }[] })[] } | undefined;

  /** The clusters on a 2-D map (UMAP of their centres), each with the share flagged accounts sent, for the analysts' cluster view. */
  router.get('/v1/clusters/map', requireScope('analyst'), async (ctx) => {
    const q = mapQuery.safeParse(ctx.query);
    assertValid(q);
    const key = `${q.data!.minSize}|${q.data!.limit}|${deps.clusters.placed}|${deps.clusters.size}`;
    if (cached?.key !== key) {
      const reps = deps.clusters.representatives(q.data!.minSize, q.data!.limit).flatMap((r) => {
        const v = centre(r.exampleLabels, deps.vectorOf);
        return v ? [{ r, v }] : [];
      });
      const xy = deps.projector.project(reps.map((x) => x.v));
      const points = reps.map(({ r: { exampleLabels, ...summary } }, i) => ({
        ...presentCluster(summary),
        x: xy[i]![0],
        y: xy[i]![1],
        topAccounts: deps.clusters.get(summary.id, TOP_ACCOUNTS)?.topAccounts ?? [],
      }));
      cached = { key, points };
    }
    const shares = await withFlaggedShares(cached.points, deps.accounts);
    ctx.body = { points: shares.map(({ cluster: { topAccounts, ...point }, flaggedShare }) => ({ ...point, flaggedShare })) };
  });

  router.get('/v1/clusters', requireScope('analyst'), async (ctx) => {
    const q = listQuery.safeParse(ctx.query);
    assertValid(q);
    const { limit, cursor, ...filter } = q.data!;
    const offset = decodeCursor(cursor);
    const page = deps.clusters.list({ ...filter, offset, limit });
    ctx.body = { clusters: page.items.map(presentCluster), total: page.total, nextCursor: nextCursor(offset, limit, page.items.length) };
  });

  /** A cluster with example prompts, its accounts by prompts in it, and how much of it flagged accounts sent. */
  router.get('/v1/clusters/:clusterId', requireScope('analyst'), async (ctx) => {
    const c = deps.clusters.get(ctx.params.clusterId!, TOP_ACCOUNTS);
    if (!c) throw new NotFoundError(`cluster ${ctx.params.clusterId}`);
    const [examples, shares] = await Promise.all([deps.store.getPrompts(c.examplePromptIds.map((promptId) => ({ promptId }))), withFlaggedShares([c], deps.accounts)]);
    const { flaggedShare, tierOf } = shares[0]!;
    const { examplePromptIds, daily, topAccounts, ...rest } = c;
    ctx.body = {
      ...presentCluster(rest),
      flaggedShare,
      topAccounts: topAccounts.map((a) => ({ ...a, tier: tierOf(a.accountId) })),
      daily: daily.map((d) => ({ day: new Date(d.dayTs).toISOString().slice(0, 10), prompts: d.prompts })),
      examples: examples.flatMap((p) => (p ? [{ promptId: p.promptId, accountId: p.accountId, text: p.text }] : [])),
    };
  });
}
