import { goCsvFirstRecord } from '../../src/workload/go-csv';
import { goParseBool, tokenExpirationOf } from '../../src/transforms/set-aws-workload-identity';

/**
 * The webhook reads skip-containers with Go's encoding/csv (first record, defaults),
 * sts-regional-endpoints with strconv.ParseBool and token-expiration with
 * strconv.ParseInt then a 600 s floor; the expected values are Go's.
 */
describe('the webhook parsers, as Go parses', () => {
  test.each([
    ['sidecar', ['sidecar']],
    ['a,b', ['a', 'b']],
    ['a, b', ['a', ' b']], // no trimming
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['a,b\nc,d', ['a', 'b']], // the first record only
    ['\n\na', ['a']], // empty lines skipped
    ['a,,b', ['a', '', 'b']],
    ['a"b', undefined], // bare quote
    ['"a"b', undefined], // extraneous quote
    ['"a', undefined], // unterminated
    ['', undefined], // EOF
  ] as const)('skip-containers %j', (value, expected) => {
    expect(goCsvFirstRecord(value)).toEqual(expected);
  });

  test('ParseBool', () => {
    for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(goParseBool(v)).toBe(true);
    for (const v of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(goParseBool(v)).toBe(false);
    for (const v of ['yes', 'tRUE', ' true', '', undefined]) expect(goParseBool(v)).toBeUndefined();
  });

  test('token expiration: ParseInt base 10, at least 600', () => {
    expect(tokenExpirationOf('3600')).toBe(3600);
    expect(tokenExpirationOf('+3600')).toBe(3600);
    expect(tokenExpirationOf('0')).toBe(600);
    expect(tokenExpirationOf('-5')).toBe(600);
    expect(tokenExpirationOf('1h')).toBeUndefined();
    expect(tokenExpirationOf('0x10')).toBeUndefined();
    expect(tokenExpirationOf(' 3600')).toBeUndefined();
    expect(tokenExpirationOf('3600 ')).toBeUndefined();
    expect(tokenExpirationOf('')).toBeUndefined();
    expect(tokenExpirationOf(undefined)).toBeUndefined();
    expect(tokenExpirationOf('601')).toBe(601);
    expect(tokenExpirationOf('599')).toBe(600);
    // Beyond int64, ParseInt fails and the webhook ignores the annotation.
    expect(tokenExpirationOf('99999999999999999999')).toBeUndefined();
  });
});
