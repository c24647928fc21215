import { goCsvFirstRecord } from '../../src/workload/go-csv';

/**
 * More of Go's encoding/csv Reader.Read (defaults) on skip-containers values: a quoted
 * field may end the value or the line, and \r\n is read as \n everywhere, inside quotes
 * too. The expected values are what Go's reader returns.
 */
test.each([
  ['"a"', ['a']], // a quoted field at the end of the value
  ['"a"\nb', ['a']], // a quoted field at the end of the line
  ['"a",b', ['a', 'b']],
  ['a,b\r\nc', ['a', 'b']], // CRLF ends the record
  ['\r\n\r\na', ['a']], // empty CRLF lines skipped
  ['"a\r\nb",c', ['a\nb', 'c']], // CRLF in quotes read as LF
  ['"a"\r\nb', ['a']],
] as const)('skip-containers %j', (value, expected) => {
  expect(goCsvFirstRecord(value)).toEqual(expected);
});
