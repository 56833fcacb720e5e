/**
 * Operator fingerprints of one prompt. A template wraps every curriculum item in the same words
 * (an instruction line before the slot, an elicitation line after it), so the first and last line
 * of a multi-line prompt are what a fleet shares whatever items it sends; the content between them
 * only says "curriculum", which every campaign drawing on public sets shares.
 */
import { HOUR_MS } from '../time.js';
import { foldedLines } from '../scoring/text-cues.js';

const MIN_WORDS = 3;
const MAX_WORDS = 40;

export function templateKeys(text: string): string[] {
  const lines = foldedLines(text);
  if (lines.length < 2) return [];
  const out: string[] = [];
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  if (isAffix(first)) out.push(`^${first}`);
  if (isAffix(last)) out.push(`$${last}`);
  return out;
}

function isAffix(line: string): boolean {
  const words = line.match(/\p{L}+/gu)?.length ?? 0;
  return words >= MIN_WORDS && words <= MAX_WORDS;
}


/**
 * Infrastructure an operator reuses across accounts. What one shared value of each kind says is in
 * models/detection.json (`linkWeights.infrastructure`); rarity weighting then discounts values many
 * unrelated accounts share.
 */
export function infrastructureKeys(metadata: Record<string, string | number | boolean | null> | undefined): string[] {
  if (!metadata) return [];
  const out: string[] = [];
  const str = (k: string) => {
    const v = metadata[k];
    return v === null || v === undefined || v === '' ? null : String(v).toLowerCase();
  };
  for (const k of ['paymentFingerprint', 'ip', 'emailDomain', 'userAgent', 'asn']) {
    const v = str(k);
    if (v !== null) out.push(`${k}:${v}`);
  }
  const ip = str('ip');
  const v4 = ip?.match(/^(\d+\.\d+\.\d+)\.\d+$/);
  if (v4) out.push(`net24:${v4[1]}`);
  const signup = metadata['signupTs'];
  const ms = typeof signup === 'number' ? signup : typeof signup === 'string' ? Date.parse(signup) : NaN;
  if (Number.isFinite(ms)) {
    // Accounts registered in the same hour: a signup burst, the way fleets are made.
    out.push(`signupHour:${Math.floor(ms / HOUR_MS)}`);
    // With the same client too: a fleet's signup wave. Organic signups are spread over years and
    // clients, so two of them in one hour with one client are rare, while a popular client alone
    // is ubiquitous (and ignored). Two buckets a half hour apart, so a wave astride an hour boundary
    // is still one wave.
    const ua = str('userAgent');
    if (ua !== null) for (const shift of [0, 0.5]) out.push(`signupWave:${Math.floor(ms / HOUR_MS + shift)}${shift ? '+' : ''}|${ua}`);
  }
  return out;
}

export function infraKind(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

/** The keys linking evidence is counted under: `t:` template lines, `i:` infrastructure values. */
export function promptLinkKeys(text: string, metadata: Record<string, string | number | boolean | null> | undefined): string[] {
  return [...templateKeys(text).map((k) => `t:${k}`), ...infrastructureKeys(metadata).map((k) => `i:${k}`)];
}
