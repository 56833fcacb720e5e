import { BUCKET_MS, type Profile } from '../scoring/profile.js';
import { HOUR_MS } from '../time.js';

export interface Rates {
  promptsPerHour: number;
  outputTokensPerHour: number;
}

/** A campaign's (or any pooled profile's) rates: over its last active day, and its busiest 6 hours. */
export interface CampaignRates {
  lastDay: Rates;
  peak: Rates;
  outputTokens: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function campaignRates(p: Profile): CampaignRates {
  const hoursPerBucket = BUCKET_MS / HOUR_MS;
  const from = p.lastTs === null ? Infinity : Math.floor(p.lastTs / BUCKET_MS) - 24 / hoursPerBucket + 1;
  let prompts = 0;
  let tokens = 0;
  let peak: Rates = { promptsPerHour: 0, outputTokensPerHour: 0 };
  for (const [bucket, n] of Object.entries(p.buckets)) {
    const t = p.tokenBuckets[bucket] ?? 0;
    if (Number(bucket) >= from) {
      prompts += n;
      tokens += t;
    }
    if (n / hoursPerBucket > peak.promptsPerHour) peak = { promptsPerHour: round(n / hoursPerBucket), outputTokensPerHour: round(t / hoursPerBucket) };
  }
  return { lastDay: { promptsPerHour: round(prompts / 24), outputTokensPerHour: round(tokens / 24) }, peak, outputTokens: p.outputTokens };
}
