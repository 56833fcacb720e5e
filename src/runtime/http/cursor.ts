import { z } from 'zod';
import { InvalidError } from '../../app/errors.js';

/** Opaque page cursors over score-ordered lists: the offset, so clients never build one. */
export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const offset = Number.parseInt(Buffer.from(cursor, 'base64url').toString(), 10);
  if (!Number.isInteger(offset) || offset < 0) throw new InvalidError('cursor: cursor is not one this API returned');
  return offset;
}

/** The next page's cursor, or null when this page was the last. */
export function nextCursor(offset: number, limit: number, returned: number): string | null {
  return returned === limit ? Buffer.from(String(offset + limit)).toString('base64url') : null;
}

/** The `limit` and `cursor` query fields of a paged list: limit 1 to `max`, `dflt` by default. */
export function pageFields(max: number, dflt: number) {
  const range = `limit must be 1 to ${max}`;
  return {
    limit: z.coerce.number({ invalid_type_error: 'limit must be a number' }).int().min(1, range).max(max, range).default(dflt),
    cursor: z.string().max(64, 'cursor is not one this API returned').optional(),
  };
}
