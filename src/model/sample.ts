import { isIP } from 'node:net';
import { z } from 'zod';

/** A sampled prompt as the worker and the stores see it: timestamps normalised to epoch ms. */
export interface Sample {
  accountId: string;
  promptId: string;
  ts: number;
  text: string;
  metadata?: Record<string, string | number | boolean | null>;
}

export interface SampleLimits {
  maxTextChars: number;
  maxBatchSamples: number;
}

// Ids end up in Redis keys, log lines and URLs: printable, no whitespace or separators we use.
const ID = /^[\x21-\x7e]{1,200}$/;
// 2000-01-01 .. generous future skew; outside that a timestamp is a client bug, not traffic.
const MIN_TS = Date.UTC(2000, 0, 1);
const MAX_FUTURE_MS = 24 * 3600 * 1000;
// Real prompts carry terminal escapes and other control characters pasted by users, so text keeps
// them; NUL alone is refused, since downstream tools treat it as a terminator.
const NUL = /\u0000/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const id = (what: string) =>
  z
    .string({ required_error: `${what} is required`, invalid_type_error: `${what} must be a string` })
    .regex(ID, `${what} must be 1-200 printable ASCII characters without spaces`);

// Type checks as one predicate, not a z.union: a union builds an issue for every branch that does
// not match, and on the ingest path that was most of the validation time.
const timestamp = z
  .custom<number | string>((v) => typeof v === 'number' || typeof v === 'string', { message: 'ts must be an ISO-8601 string or epoch milliseconds' })
  .transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
    if (!Number.isFinite(ms) || (typeof v === 'number' && !Number.isInteger(v))) {
      ctx.addIssue({ code: 'custom', message: 'ts must be an ISO-8601 string or integer epoch milliseconds' });
      return z.NEVER;
    }
    if (ms < MIN_TS || ms > Date.now() + MAX_FUTURE_MS) {
      ctx.addIssue({ code: 'custom', message: 'ts is outside the accepted range (2000-01-01 to now + 1 day)' });
      return z.NEVER;
    }
    return ms;
  });

const metadataKey = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// Keys are checked on the raw object: a parsed record would already have swallowed `__proto__`.
const metadata = z
  .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
    message: 'metadata must be an object of string, number, boolean or null values',
  })
  .superRefine((m, ctx) => {
    const keys = Object.keys(m);
    if (keys.length > 32) ctx.addIssue({ code: 'custom', message: 'metadata has more than 32 keys' });
    for (const k of keys) {
      if (!metadataKey.test(k) || FORBIDDEN_KEYS.has(k)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `metadata key ${JSON.stringify(k)} is not allowed` });
      }
    }
  })
  .pipe(
    z.record(
      z.custom<string | number | boolean | null>((v) => v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 1000), {
        message: 'metadata values must be strings (up to 1000 characters), numbers, booleans or null',
      }),
    ),
  );

/**
 * The metadata fields an abuse pipeline attaches and the detector reads (README "Ingest"): each is
 * optional, but when present it must have its documented shape, so linking never keys on a value
 * that only looks like one. Other keys pass as free-form scalars, as before.
 */
const count = (max: number) => (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
const text = (max: number) => (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= max;
const KNOWN_METADATA = new Map<string, { ok: (v: unknown) => boolean; what: string }>(Object.entries({
  model: { ok: text(200), what: 'a model name of 1-200 characters' },
  inputTokens: { ok: count(10_000_000), what: 'an integer token count from 0 to 10,000,000' },
  outputTokens: { ok: count(10_000_000), what: 'an integer token count from 0 to 10,000,000' },
  signupTs: {
    ok: (v: unknown) => {
      const ms = typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
      return Number.isFinite(ms) && ms >= MIN_TS && ms <= Date.now() + MAX_FUTURE_MS;
    },
    what: 'an ISO-8601 time or epoch milliseconds between 2000-01-01 and now + 1 day',
  },
  emailDomain: { ok: (v: unknown) => typeof v === 'string' && /^(?=.{1,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(v), what: 'a domain name such as example.com' },
  paymentFingerprint: { ok: text(200), what: 'an opaque fingerprint of 1-200 characters' },
  ip: { ok: (v: unknown) => typeof v === 'string' && isIP(v) !== 0, what: 'an IPv4 or IPv6 address' },
  asn: { ok: count(4_294_967_295), what: 'an integer autonomous system number' },
  userAgent: { ok: text(1000), what: 'a user agent of 1-1000 characters' },
  country: { ok: (v: unknown) => typeof v === 'string' && /^[A-Z]{2}$/.test(v), what: 'an ISO 3166-1 alpha-2 code such as DE' },
}));

const knownMetadata = (m: Record<string, unknown>, ctx: z.RefinementCtx) => {
  for (const [k, v] of Object.entries(m)) {
    const field = KNOWN_METADATA.get(k);
    if (field && v !== null && !field.ok(v)) ctx.addIssue({ code: 'custom', path: [k], message: `metadata.${k} must be ${field.what} (or null)` });
  }
};

export function sampleSchema(limits: SampleLimits) {
  return z
    .object({
      accountId: id('accountId'),
      promptId: id('promptId'),
      ts: timestamp,
      text: z
        .string({ required_error: 'text is required', invalid_type_error: 'text must be a string' })
        .min(1, 'text must not be empty')
        .max(limits.maxTextChars, `text must be at most ${limits.maxTextChars} characters`)
        .refine((t) => !NUL.test(t), 'text must not contain NUL characters')
        .refine((t) => !LONE_SURROGATE.test(t), 'text must be valid Unicode (lone surrogate)'),
      metadata: metadata.superRefine(knownMetadata).optional(),
    }, { invalid_type_error: 'each sample must be an object' })
    .strict();
}

export function batchSchema(limits: SampleLimits) {
  return z
    .object({
      samples: z
        .array(sampleSchema(limits), {
          required_error: 'samples is required',
          invalid_type_error: 'samples must be an array',
        })
        .min(1, 'samples must hold at least one sample')
        .max(limits.maxBatchSamples, `samples must hold at most ${limits.maxBatchSamples} samples`),
    }, { invalid_type_error: 'request body must be a JSON object with a samples array' })
    .strict();
}
