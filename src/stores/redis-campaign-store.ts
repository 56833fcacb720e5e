import type { Redis } from 'ioredis';
import type { KeyUses } from '../campaigns/link-accounts.js';
import type { CampaignRaise, CampaignStore, LiveCampaign } from '../domain/campaign-sweep.js';
import { BUCKET_MS, type Profile } from '../scoring/profile.js';
import type { Tier } from '../scoring/score.js';
import type { RedisKeys } from './redis-keys.js';

export interface CampaignView {
  clusterId: string;
  size: number;
  score: number;
  tier: Tier;
  topAreas: { subArea: string; share: number }[];
  firstSeen: string | null;
  lastSeen: string | null;
  members: string[];
  links: LiveCampaign['links'];
  examplePromptIds: string[];
  timeline: { day: string; prompts: number }[];
  evidence: LiveCampaign['evidence'];
}

export class RedisCampaignStore implements CampaignStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async linkState(): Promise<{ uses: KeyUses; sizes: Map<string, number> }> {
    const uses: KeyUses = new Map();
    const sizes = new Map<string, number>();
    let cursor = '0';
    do {
      const [next, ids] = await this.redis.sscan(this.keys.accounts, cursor, 'COUNT', 500);
      cursor = next;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hgetall(`${this.keys.account(id)}:links`).hget(this.keys.account(id), 'n');
      const res = (await pipeline.exec()) ?? [];
      ids.forEach((id, i) => {
        const links = res[2 * i]?.[1] as Record<string, string>;
        sizes.set(id, Number(res[2 * i + 1]?.[1] ?? 0));
        for (const [key, count] of Object.entries(links ?? {})) {
          let byAccount = uses.get(key);
          if (!byAccount) uses.set(key, (byAccount = new Map()));
          byAccount.set(id, { count: Number(count), buckets: new Set(), examples: [] });
        }
      });
    } while (cursor !== '0');
    return { uses, sizes };
  }

  async profiles(accountIds: readonly string[]): Promise<Map<string, Profile>> {
    const pipeline = this.redis.pipeline();
    for (const id of accountIds) pipeline.hget(this.keys.account(id), 'profile');
    const res = (await pipeline.exec()) ?? [];
    const out = new Map<string, Profile>();
    accountIds.forEach((id, i) => {
      const json = res[i]?.[1];
      if (typeof json === 'string') out.set(id, JSON.parse(json) as Profile);
    });
    return out;
  }

  async previousTiers(): Promise<Map<string, Tier>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.campaignTiers)) as [string, Tier][]);
  }

  /** Replaces the campaign set in one transaction, so readers never see half of a sweep. */
  async save(campaigns: readonly LiveCampaign[], raised: readonly CampaignRaise[]): Promise<void> {
    const previous = await this.redis.hkeys(this.keys.campaignTiers);
    const tx = this.redis.multi().del(this.keys.campaigns, this.keys.campaignTiers, this.keys.campaignOf);
    const live = new Set(campaigns.map((c) => c.clusterId));
    for (const id of previous) if (!live.has(id)) tx.del(this.keys.campaign(id));
    for (const c of campaigns) {
      tx.zadd(this.keys.campaigns, c.score, c.clusterId).hset(this.keys.campaignTiers, c.clusterId, c.tier);
      tx.set(this.keys.campaign(c.clusterId), JSON.stringify(view(c)));
      for (const m of c.heirs) tx.hset(this.keys.campaignOf, m, c.clusterId);
    }
    const at = new Date().toISOString();
    for (const r of raised) tx.xadd(this.keys.events, 'MAXLEN', '~', 100000, '*', 'type', 'campaign.tier_raised', 'data', JSON.stringify({ ...r, at }));
    await tx.exec();
  }

  async get(clusterId: string): Promise<CampaignView | undefined> {
    const json = await this.redis.get(this.keys.campaign(clusterId));
    return json ? (JSON.parse(json) as CampaignView) : undefined;
  }

  async list(opts: { minScore: number; offset: number; limit: number }): Promise<CampaignView[]> {
    const ids = await this.redis.zrevrangebyscore(this.keys.campaigns, '+inf', opts.minScore, 'LIMIT', opts.offset, opts.limit);
    const views = await Promise.all(ids.map((id) => this.get(id)));
    return views.filter((v): v is CampaignView => !!v);
  }

  /** The campaign an account belongs to, with its tier, if any. */
  async campaignOf(accountId: string): Promise<{ clusterId: string; tier: Tier } | undefined> {
    const clusterId = await this.redis.hget(this.keys.campaignOf, accountId);
    if (!clusterId) return undefined;
    const tier = (await this.redis.hget(this.keys.campaignTiers, clusterId)) as Tier | null;
    return tier ? { clusterId, tier } : undefined;
  }
}

function view(c: LiveCampaign): CampaignView {
  const perDay = new Map<string, number>();
  for (const [bucket, n] of Object.entries(c.pooled.buckets)) {
    const day = new Date(Number(bucket) * BUCKET_MS).toISOString().slice(0, 10);
    perDay.set(day, (perDay.get(day) ?? 0) + n);
  }
  return {
    clusterId: c.clusterId,
    size: c.members.length,
    score: Math.round(c.score * 1e4) / 1e4,
    tier: c.tier,
    topAreas: c.evidence.topSubAreas,
    firstSeen: c.pooled.firstTs === null ? null : new Date(c.pooled.firstTs).toISOString(),
    lastSeen: c.pooled.lastTs === null ? null : new Date(c.pooled.lastTs).toISOString(),
    members: c.members,
    links: c.links,
    examplePromptIds: c.evidence.examplePromptIds,
    timeline: [...perDay].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([day, prompts]) => ({ day, prompts })),
    evidence: c.evidence,
  };
}
