import type { Redis } from 'ioredis';
import type { KeyUses } from '../../model/campaigns/link-accounts.js';
import type { Behaviour } from '../../model/campaigns/fleet-signature.js';
import { campaignRecord, type CampaignRaise, type CampaignStore, type LinkState, type LiveCampaign, type PivotEvent } from '../../app/campaign-sweep.js';
import type { CampaignReads, CampaignRecord, Membership } from '../../app/queries.js';
import type { Adoption } from '../../model/fleet/release-pivot.js';
import { upgradeProfile, type Profile } from '../../model/scoring/profile.js';
import type { Tier } from '../../model/scoring/score.js';
import { appendEvent } from './outbox.js';
import { accountPages, ACCOUNT, pipelineByShard, type RedisKeys } from './schema.js';

export class RedisCampaignStore implements CampaignStore, CampaignReads {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async linkState(): Promise<LinkState> {
    const uses: KeyUses = new Map();
    const sizes = new Map<string, number>();
    const behaviours = new Map<string, Behaviour>();
    for await (const ids of accountPages(this.redis, this.keys, 500)) {
      const res = await pipelineByShard(this.redis, ids, (id) => this.keys.of(id), (p, k, id) => p.hgetall(k.links(id)).hmget(k.account(id), ACCOUNT.prompts, ACCOUNT.behaviour));
      ids.forEach((id, i) => {
        const [links, [n, behaviour]] = res[i] as [Record<string, string>, (string | null)[]];
        sizes.set(id, Number(n ?? 0));
        if (behaviour) behaviours.set(id, JSON.parse(behaviour) as Behaviour);
        for (const [key, count] of Object.entries(links ?? {})) {
          let byAccount = uses.get(key);
          if (!byAccount) uses.set(key, (byAccount = new Map()));
          byAccount.set(id, { count: Number(count), buckets: new Set(), examples: [] });
        }
      });
    }
    return { uses, sizes, behaviours };
  }

  async profiles(accountIds: readonly string[]): Promise<Map<string, Profile>> {
    const res = await pipelineByShard(this.redis, accountIds, (id) => this.keys.of(id), (p, k, id) => p.hget(k.account(id), ACCOUNT.profile));
    const out = new Map<string, Profile>();
    accountIds.forEach((id, i) => {
      const json = res[i]![0];
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
      tx.set(this.keys.campaign(c.clusterId), JSON.stringify(campaignRecord(c)));
      for (const m of c.heirs) tx.hset(this.keys.campaignOf, m, c.clusterId);
    }
    const at = new Date().toISOString();
    for (const r of raised) appendEvent(tx, this.keys, 'campaign.tier_raised', { ...r, at });
    for (const p of pivots) {
      appendEvent(tx, this.keys, 'campaign.release_pivot', { ...p, announcedAt: at });
      tx.hset(this.keys.campaignPivots, `${p.clusterId}|${p.release}`, at);
    }
    await tx.exec();
  }

  async campaigns(ids: readonly string[]): Promise<Map<string, CampaignRecord>> {
    const out = new Map<string, CampaignRecord>();
    if (!ids.length) return out;
    const found = await this.redis.mget(...ids.map((id) => this.keys.campaign(id)));
    ids.forEach((id, i) => {
      if (found[i]) out.set(id, JSON.parse(found[i]!) as CampaignRecord);
    });
    return out;
  }

  listIds(opts: { minScore: number; offset: number; limit: number }): Promise<string[]> {
    return this.redis.zrevrangebyscore(this.keys.campaigns, '+inf', opts.minScore, 'LIMIT', opts.offset, opts.limit);
  }

  /** The campaigns the accounts are heirs of, with their tiers, in two round trips whatever the count. */
  async memberships(accountIds: readonly string[]): Promise<Map<string, Membership>> {
    const out = new Map<string, Membership>();
    if (!accountIds.length) return out;
    const clusterIds = await this.redis.hmget(this.keys.campaignOf, ...accountIds);
    const unique = [...new Set(clusterIds.filter((c): c is string => !!c))];
    if (!unique.length) return out;
    const tiers = new Map(unique.map((c, i) => [c, i]));
    const found = await this.redis.hmget(this.keys.campaignTiers, ...unique);
    accountIds.forEach((accountId, i) => {
      const clusterId = clusterIds[i];
      const tier = clusterId ? (found[tiers.get(clusterId)!] as Tier | null) : null;
      if (clusterId && tier) out.set(accountId, { clusterId, tier });
    });
    return out;
  }
}
