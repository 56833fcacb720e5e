import { UnavailableError } from '../../app/errors.js';

/**
 * Asks every index shard (one base URL each: a process, or a load balancer over its replicas) for
 * its part of a text search, with the caller's own credentials, and returns their answers in
 * order. A shard that fails or stays silent past the timeout fails the search: an answer missing a
 * shard's prompts would look complete and not be.
 */
export function shardSearchClient(urls: readonly string[], timeoutMs: number) {
  return {
    async search<T>(query: string, authorization: string | undefined): Promise<T[][]> {
      return Promise.all(
        urls.map(async (url) => {
          let res: Response;
          try {
            res = await fetch(`${url}/v1/search/shard?${query}`, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(timeoutMs) });
          } catch (err) {
            throw new UnavailableError(`index shard ${url} did not answer: ${(err as Error).message}`);
          }
          if (!res.ok) throw new UnavailableError(`index shard ${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
          return ((await res.json()) as { hits: T[] }).hits;
        }),
      );
    },
  };
}

export type ShardSearchClient = ReturnType<typeof shardSearchClient>;
