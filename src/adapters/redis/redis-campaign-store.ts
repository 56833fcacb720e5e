import type { Redis } from 'ioredis';
import type { KeyUses } from '../../model/campaigns/link-accounts.js';
import type { Behaviour } from '../../model/campaigns/fleet-signature.js';
import type { CampaignRaise, CampaignStore, LinkState, LiveCampaign, PivotEvent } from '../../app/campaign-sweep.js';
import type { Adoption } from '../../model/fleet/release-pivot.js';
import { BUCKET_MS, upgradeProfile, type Profile } from '../../model/scoring/profile.js';
import type { Tier } from '../../model/scoring/score.js';
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
  timeline: { day: string; prompts: number; outputTokens: number }[];
  rates: LiveCampaign['rates'];
  releasePivots: LiveCampaign['releasePivots'];
  evidence: LiveCampaign['evidence'];
}

export class RedisCampaignStore implements CampaignStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async linkState(): Promise<LinkState> {
    const uses: KeyUses = new Map();
    const sizes = new Map<string, number>();
    const behaviours = new Map<string, Behaviour>();
    let cursor = '0';
    do {
      const [next, ids] = await this.redis.sscan(this.keys.accounts, cursor, 'COUNT', 500);
      cursor = next;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hgetall(`${this.keys.account(id)}:links`).hmget(this.keys.account(id), 'n', 'b');
      const res = (await pipeline.exec()) ?? [];
      ids.forEach((id, i) => {
        const links = res[2 * i]?.[1] as Record<string, string>;
        const [n, behaviour] = (res[2 * i + 1]?.[1] ?? []) as (string | null)[];
        sizes.set(id, Number(n ?? 0));
        if (behaviour) behaviours.set(id, JSON.parse(behaviour) as Behaviour);
        for (const [key, count] of Object.entries(links ?? {})) {
          let byAccount = uses.get(key);
          if (!byAccount) uses.set(key, (byAccount = new Map()));
          byAccount.set(id, { count: Number(count), buckets: new Set(), examples: [] });
        }
      });
    } while (cursor !== '0');
    return { uses, sizes, behaviours };
  }

  async profiles(accountIds: readonly string[]): Promise<Map<string, Profile>> {
    const pipeline = this.redis.pipeline();
    for (const id of accountIds) pipeline.hget(this.keys.account(id), 'profile');
    const res = (await pipeline.exec()) ?? [];
    const out = new Map<string, Profile>();
    accountIds.forEach((id, i) => {
      const json = res[i]?.[1];
      if (typeof json === 'string') out.set(id, upgradeProfile(JSON.parse(json)));
    });
    return out;
  }

  async adoption(release: string, members: readonly string[]): Promise<{ population: Adoption; members: Adoption }> {
    const [exposed, adopted] = [this.keys.releaseExposed(release), this.keys.releaseAdopted(release)];
    const tx = this.redis.multi().scard(exposed).scard(adopted);
    if (members.length) tx.smismember(exposed, ...members).smismember(adopted, ...members);
    const res = ((await tx.exec()) ?? []).map(([, v]) => v);
    const count = (v: unknown) => (Array.isArray(v) ? v.filter((x) => x === 1).length : 0);
    return { population: { exposed: Number(res[0]), adopted: Number(res[1]) }, members: { exposed: count(res[2]), adopted: count(res[3]) } };
  }

  async announcedPivots(): Promise<Set<string>> {
    return new Set(await this.redis.hkeys(this.keys.campaignPivots));
  }

  async previousTiers(): Promise<Map<string, Tier>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.campaignTiers)) as [string, Tier][]);
  }

  /** Replaces the campaign set in one transaction, so readers never see half of a sweep. */
  async save(campaigns: readonly LiveCampaign[], raised: readonly CampaignRaise[], pivots: readonly PivotEvent[]): Promise<void> {
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
    for (const p of pivots) {
      tx.xadd(this.keys.events, 'MAXLEN', '~', 100000, '*', 'type', 'campaign.release_pivot', 'data', JSON.stringify({ ...p, announcedAt: at }));
      tx.hset(this.keys.campaignPivots, `${p.clusterId}|${p.release}`, at);
    }
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
  const perDay = new Map<string, { prompts: number; outputTokens: number }>();
  for (const [bucket, n] of Object.entries(c.pooled.buckets)) {
    const day = new Date(Number(bucket) * BUCKET_MS).toISOString().slice(0, 10);
    const d = perDay.get(day) ?? { prompts: 0, outputTokens: 0 };
    perDay.set(day, { prompts: d.prompts + n, outputTokens: d.outputTokens + (c.pooled.tokenBuckets[bucket] ?? 0) });
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
    timeline: [...perDay].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([day, d]) => ({ day, ...d })),
    rates: c.rates,
    releasePivots: c.releasePivots,
    evidence: c.evidence,
  };
}
