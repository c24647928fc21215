import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { decodeUtf8, firstInvalidUtf8 } from '../../src/io/input-bytes';
import { SourceError } from '../../src/errors';

const runs = Number(process.env.FC_RUNS ?? 300);
const params = { numRuns: runs, seed: 20261125 };

/** Mostly valid UTF-8 with a bad byte or a cut sequence here and there. */
const bytes = fc
  .tuple(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })), { maxLength: 2 }),
  )
  .map(([text, damage]) => {
    const buf = Buffer.from(text, 'utf8');
    for (const [at, byte] of damage) if (buf.length) buf[at % buf.length] = byte;
    return buf;
  });

describe('UTF-8 input', () => {
  test('the first invalid offset agrees with the native check, and everything before it is valid', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, fc.uint8Array({ maxLength: 16 })), (raw) => {
        const buf = Buffer.from(raw);
        const offset = firstInvalidUtf8(buf);
        expect(offset === -1).toBe(isUtf8(buf));
        if (offset >= 0) expect(isUtf8(buf.subarray(0, offset))).toBe(true);
      }),
      params,
    );
  });

  test('a bad byte is located by line, column and byte offset', () => {
    const buf = Buffer.concat([
      Buffer.from('a: 1\nb: caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    try {
      decodeUtf8(buf, 'x.yaml');
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(SourceError);
      const e = error as SourceError;
      expect(e.location).toEqual({ path: 'x.yaml', line: 2, column: 7, code: 'NOT_UTF8' });
      expect(e.reason).toContain('0xE9 at byte offset 11');
    }
  });

  test('overlong forms, surrogates and code points past U+10FFFF are refused', () => {
    for (const seq of [
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf8],
    ]) {
      expect(firstInvalidUtf8(Buffer.from([0x41, ...seq]))).toBe(1);
    }
    expect(firstInvalidUtf8(Buffer.from('ok ✓ 🐳', 'utf8'))).toBe(-1);
  });
});
