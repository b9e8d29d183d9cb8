import { MEMBERS_CSV_HEADER } from '@t2s/contracts';

/**
 * The CSV export as text chunks: the header line, then one id per line, one chunk per batch read, so a
 * million ids pass through without being held in memory. Ids are digits or plain text keys; a value
 * that would need quoting is quoted anyway, so a strange warehouse key cannot break the file.
 */
export async function* membersCsv(
  batches: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
): AsyncGenerator<string> {
  yield `${MEMBERS_CSV_HEADER}\n`;
  for await (const ids of batches) {
    if (ids.length > 0) yield `${ids.map(csvField).join('\n')}\n`;
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
