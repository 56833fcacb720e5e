/**
 * Template skeletons: what a harness or an operator's wrapper writes around every item, whatever the
 * item. A single-template account is a benchmark run or a batch job (score.ts), and a campaign's
 * members may share one (campaigns/prompt-keys.ts has the linking twin).
 */

/** Tokens of a one-line prompt's opening and closing that a template would fix. */
const SKELETON_TOKENS = 5;
// Shorter one-line prompts have no room for a slot: the skeleton would be the whole prompt.
const SKELETON_MIN_TOKENS = 8;
const LINE_CHARS = 80;

/** The prompt's non-empty lines, lower-cased, digits folded to 0, whitespace collapsed. */
export function foldedLines(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\d+/g, '0')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/**
 * Template skeletons, digits folded: for a multi-line prompt its first and last line (a harness
 * writes "Question: {x}\nAnswer:" or "[BEGIN TASK]\n{x}\n[END TASK]"), for a one-line prompt its
 * first and last few words ("Tag this question with one topic word: {x}"). Every filled-in copy of
 * a template maps to one key, whatever the slot holds.
 */
export function skeletonKeys(text: string): string[] {
  const lines = foldedLines(text);
  if (lines.length >= 2) return [`^${lines[0]!.slice(0, LINE_CHARS)}`, `$${lines[lines.length - 1]!.slice(-LINE_CHARS)}`];
  const tokens = lines[0]?.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
  if (tokens.length < SKELETON_MIN_TOKENS) return [];
  return [`^${tokens.slice(0, SKELETON_TOKENS).join(' ')}`, `$${tokens.slice(-SKELETON_TOKENS).join(' ')}`];
}
