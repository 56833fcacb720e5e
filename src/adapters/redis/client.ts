import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** Where Redis is: one server by URL, or a Redis Cluster by some of its nodes. */
export interface RedisTarget {
  url: string;
  clusterNodes: readonly { host: string; port: number }[];
}

/**
 * A client for the target. A Cluster answers the same commands as one Redis and routes each by
 * its key's slot, so the adapters take one type for both; a pipeline or transaction may not span
 * slots there, so reads over many accounts pipeline per shard (pipelineByShard in schema.ts).
 */
export function createRedis(target: RedisTarget, options: RedisOptions): Redis {
  if (target.clusterNodes.length === 0) return new Redis(target.url, options);
  return new Cluster([...target.clusterNodes], clusterOptions(options)) as unknown as Redis;
}

/** A cluster takes connection-wide options itself and the rest as each node's `redisOptions`. */
function clusterOptions(options: RedisOptions, nodeDefaults: RedisOptions = {}): ClusterOptions {
  const { lazyConnect, enableOfflineQueue, ...redisOptions } = options;
  return {
    redisOptions: { ...nodeDefaults, ...redisOptions },
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
  };
}

/** Another connection to the same target (a blocking read holds its connection). */
export function duplicateRedis(redis: Redis, options: RedisOptions): Redis {
  const client = redis as Redis | Cluster;
  if (client instanceof Cluster) return client.duplicate(undefined, clusterOptions(options, client.options.redisOptions)) as unknown as Redis;
  return client.duplicate(options);
}

/** The servers holding data: the masters of a cluster, or the one server. */
export function masters(redis: Redis): Redis[] {
  const client = redis as Redis | Cluster;
  return client instanceof Cluster ? client.nodes('master') : [redis];
}

/** Every key matching the patterns, on every master, a page at a time. */
export async function* scanKeys(redis: Redis, patterns: readonly string[], count = 5000): AsyncIterable<string[]> {
  for (const node of masters(redis)) {
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
        cursor = next;
        if (keys.length) yield keys;
      } while (cursor !== '0');
    }
  }
}
