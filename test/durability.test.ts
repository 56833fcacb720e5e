import { describe, expect, it } from 'vitest';
import { durabilityOf } from '../src/adapters/redis/durability.js';

describe('Redis durability check', () => {
  it('accepts AOF with fsync always or everysec and no eviction, saying what each can lose', () => {
    expect(durabilityOf({ appendonly: 'yes', appendfsync: 'always', 'maxmemory-policy': 'noeviction' })).toMatchObject({ problems: [], window: 'nothing acknowledged' });
    expect(durabilityOf({ appendonly: 'yes', appendfsync: 'everysec', 'maxmemory-policy': 'noeviction' })).toMatchObject({ problems: [], window: 'up to one second of acknowledged writes' });
  });

  it('names every setting that can lose acknowledged samples', () => {
    const r = durabilityOf({ appendonly: 'no', appendfsync: 'everysec', 'maxmemory-policy': 'allkeys-lru' });
    expect(r.window).toBeNull();
    expect(r.problems).toEqual([expect.stringContaining('appendonly is no'), expect.stringContaining('maxmemory-policy is allkeys-lru')]);
    expect(durabilityOf({ appendonly: 'yes', appendfsync: 'no', 'maxmemory-policy': 'noeviction' }).problems).toEqual([expect.stringContaining('appendfsync is no')]);
  });
});
