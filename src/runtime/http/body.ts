import type { Context } from 'koa';
import { AppError, InvalidError, MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../app/errors.js';
import { firstDuplicateKey } from './duplicate-keys.js';

/** Reads a JSON body with a hard size cap, answering 413/415/400 instead of ever reaching a 500. */
export async function readJsonBody(ctx: Context, limitBytes: number): Promise<unknown> {
  if (!ctx.is('application/json')) {
    throw new UnsupportedMediaTypeError('Content-Type must be application/json');
  }
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new MalformedJsonError('request body is not valid UTF-8');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new MalformedJsonError(`request body is not valid JSON: ${(err as Error).message}`);
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) throw new MalformedJsonError(`${duplicate}: key appears more than once in its object`);
  return body;
}

function tooLarge(limit: number): AppError {
  return new PayloadTooLargeError(`request body exceeds ${limit} bytes`);
}

type Issue = { path: (string | number)[]; message: string; code?: string; keys?: string[] };

export function assertValid(result: { success: true } | { success: false; error: { issues: Issue[] } }): asserts result is { success: true } {
  if (result.success) return;
  // Zod reports unknown keys on their parent; name each one instead.
  const details = result.error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys' && i.keys
      ? i.keys.map((k) => ({ field: formatPath([...i.path, k]), message: 'unknown field' }))
      : [{ field: formatPath(i.path), message: i.message }],
  );
  const first = details[0];
  const message = first ? `${first.field ? `${first.field}: ` : ''}${first.message}` : 'invalid request';
  throw new InvalidError(details.length > 1 ? `${message} (and ${details.length - 1} more)` : message, details);
}

function formatPath(path: (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}
