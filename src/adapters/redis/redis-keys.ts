import type { Redis } from 'ioredis';

/** Every Redis key the service writes, under one prefix so deployments and tests can share a Redis. */
export function redisKeys(prefix: string) {
  return {
    prefix,
    prompt: (promptId: string) => `${prefix}:prompt:${promptId}`,
    claim: (promptId: string) => `${prefix}:claim:${promptId}`,
    account: (accountId: string) => `${prefix}:acct:${accountId}`,
    labelSeq: `${prefix}:seq:label`,
    vectorLog: `${prefix}:log:vectors`,
    meta: `${prefix}:meta`,
    dirty: `${prefix}:dirty`,
    accounts: `${prefix}:accounts`,
    taxonomy: `${prefix}:taxonomy`,
    taxonomyVersion: `${prefix}:taxonomy:version`,
    scores: `${prefix}:scores`,
    events: `${prefix}:events`,
    webhookCursor: `${prefix}:webhook:cursor`,
    campaigns: `${prefix}:campaigns`,
    campaign: (clusterId: string) => `${prefix}:campaign:${clusterId}`,
    campaignTiers: `${prefix}:campaign-tiers`,
    campaignOf: `${prefix}:campaign-of`,
    /** Release pivots already announced, by `clusterId|release`. */
    campaignPivots: `${prefix}:campaign-pivots`,
    /** Young-population prompts per hour (field `<hour>`) and output tokens (`<hour>:t`). */
    fleetYoung: `${prefix}:fleet:young`,
    /** Young accounts by prompts in one hour: who is behind an alert. */
    fleetYoungHour: (hour: number) => `${prefix}:fleet:young:${hour}`,
    /** Hours that raised an alert, each once. */
    fleetAlerted: `${prefix}:fleet:alerted`,
    fleetAlerts: `${prefix}:fleet:alerts`,
    /** Release names the fold has counted for: erasure removes an account from each one's sets. */
    releases: `${prefix}:releases`,
    releaseExposed: (release: string) => `${prefix}:release:${release}:exposed`,
    releaseAdopted: (release: string) => `${prefix}:release:${release}:adopted`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/** Removes every key under a prefix (bench and test clean-up: only what they made). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}
