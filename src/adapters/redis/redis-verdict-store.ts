import type { Redis } from 'ioredis';
import type { VerdictStore } from '../../app/verdicts.js';
import type { Verdict } from '../../model/verdicts.js';
import type { RedisKeys } from './schema.js';

const subjectKey = (v: Pick<Verdict, 'subject' | 'id'>) => `${v.subject}:${v.id}`;

export class RedisVerdictStore implements VerdictStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** One transaction: the subject's verdict, its place in time, and the accounts it covers. */
  async put(v: Verdict): Promise<void> {
    const key = subjectKey(v);
    const tx = this.redis.multi().hset(this.keys.verdicts, key, JSON.stringify(v)).zadd(this.keys.verdictsByTime, v.at, key);
    const covered = Object.keys(v.accounts);
    if (covered.length) tx.hset(this.keys.verdictOf, ...covered.flatMap((a) => [a, key]));
    await tx.exec();
  }

  async page(q: { offset: number; limit: number }): Promise<{ items: Verdict[]; fetched: number }> {
    const keys = await this.redis.zrevrange(this.keys.verdictsByTime, q.offset, q.offset + q.limit - 1);
    return { items: await this.byKeys(keys), fetched: keys.length };
  }

  async all(): Promise<Verdict[]> {
    return Object.values(await this.redis.hgetall(this.keys.verdicts)).map((s) => JSON.parse(s) as Verdict);
  }

  async covering(accountIds: readonly string[]): Promise<Map<string, Verdict>> {
    const out = new Map<string, Verdict>();
    if (!accountIds.length) return out;
    const subjects = await this.redis.hmget(this.keys.verdictOf, ...accountIds);
    const unique = [...new Set(subjects.filter((s): s is string => !!s))];
    const bySubject = new Map((await this.byKeys(unique)).map((v) => [subjectKey(v), v]));
    accountIds.forEach((a, i) => {
      const v = subjects[i] ? bySubject.get(subjects[i]!) : undefined;
      if (v) out.set(a, v);
    });
    return out;
  }

  private async byKeys(keys: readonly string[]): Promise<Verdict[]> {
    if (!keys.length) return [];
    return (await this.redis.hmget(this.keys.verdicts, ...keys)).flatMap((s) => (s ? [JSON.parse(s) as Verdict] : []));
  }
}
