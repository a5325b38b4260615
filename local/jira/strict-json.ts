/**
 * JSON for site files, stricter than `JSON.parse`: a key repeated in one object is refused (JSON.parse keeps
 * the last one silently, so a typo'd copy would win), nesting is bounded, and every error is one line with a
 * line and column. A UTF-8 byte-order mark at the start is allowed, as editors on some systems write one.
 * No maintained strict parser is installed, and the grammar is small (RFC 8259).
 */

export class StrictJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrictJsonError';
  }
}

const MAX_DEPTH = 64;

export function parseStrictJson(input: string): unknown {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  let i = 0;

  function where(at: number): string {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < text.length; k += 1) {
      if (text.charCodeAt(k) === 0x0a) {
        line += 1;
        col = 1;
      } else {
        col += 1;
      }
    }
    return `line ${line}, column ${col}`;
  }
  function fail(message: string, at = i): never {
    throw new StrictJsonError(`${message} at ${where(at)}`);
  }
  function describe(at: number): string {
    if (at >= text.length) return 'the end of the file';
    return JSON.stringify(text[at]);
  }
  function skipSpace(): void {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i += 1;
      else break;
    }
  }
  function expect(ch: string): void {
    if (text[i] !== ch) fail(`expected ${JSON.stringify(ch)} but found ${describe(i)}`);
    i += 1;
  }
  function parseString(): string {
    const start = i;
    expect('"');
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i += 1;
        return out;
      }
      if (c < 0x20) fail('control character in a string (escape it)');
      if (c === 0x5c) {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail('invalid escape in a string');
        }
      } else {
        out += text[i];
        i += 1;
      }
    }
  }
  function parseNumber(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(`unexpected ${describe(i)}`);
    i += m[0].length;
    return Number(m[0]);
  }
  function parseValue(depth: number): unknown {
    skipSpace();
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth >= MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
      return c === '{' ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    return fail(`unexpected ${describe(i)}`);
  }
  function parseObject(depth: number): Record<string, unknown> {
    expect('{');
    const out: Record<string, unknown> = {};
    skipSpace();
    if (text[i] === '}') {
      i += 1;
      return out;
    }
    for (;;) {
      skipSpace();
      const keyAt = i;
      const key = parseString();
      if (Object.prototype.hasOwnProperty.call(out, key)) fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      skipSpace();
      expect(':');
      // defineProperty, so a key such as "__proto__" is data like any other (as with JSON.parse).
      Object.defineProperty(out, key, { value: parseValue(depth), enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      expect('}');
      return out;
    }
  }
  function parseArray(depth: number): unknown[] {
    expect('[');
    const out: unknown[] = [];
    skipSpace();
    if (text[i] === ']') {
      i += 1;
      return out;
    }
    for (;;) {
      out.push(parseValue(depth));
      skipSpace();
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      expect(']');
      return out;
    }
  }

  const value = parseValue(0);
  skipSpace();
  if (i < text.length) fail(`unexpected ${describe(i)} after the JSON value`);
  return value;
}
