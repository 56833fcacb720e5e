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
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
