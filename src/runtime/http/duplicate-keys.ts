type Frame = { keys: Set<string>; key: string } | { index: number };

/**
 * The path of the first key repeated within one object of a valid JSON text, e.g. `samples[2].text`.
 * JSON.parse keeps the last of two equal keys, so what was validated could differ from what another
 * parser of the same request (a log pipeline, an audit copy) believes was sent.
 */
export function firstDuplicateKey(json: string): string | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x7b /* { */) stack.push({ keys: new Set(), key: '' });
    else if (c === 0x5b /* [ */) stack.push({ index: 0 });
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top && 'index' in top) top.index++;
    } else if (c === 0x22 /* " */) {
      const end = closingQuote(json, i + 1);
      const top = stack[stack.length - 1];
      let after = end + 1;
      while (/\s/.test(json[after] ?? '')) after++;
      if (top && 'keys' in top && json[after] === ':') {
        const key = JSON.parse(json.slice(i, end + 1)) as string;
        top.key = key;
        if (top.keys.has(key)) return pathOf(stack);
        top.keys.add(key);
      }
      i = end;
    }
  }
  return undefined;
}

function closingQuote(json: string, from: number): number {
  for (let q = json.indexOf('"', from); ; q = json.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (json.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
}

function pathOf(stack: Frame[]): string {
  return stack.reduce<string>((acc, f) => ('index' in f ? `${acc}[${f.index}]` : acc ? `${acc}.${f.key}` : f.key), '');
}
