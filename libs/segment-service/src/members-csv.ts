import { MEMBERS_CSV_GROUP_HEADER, MEMBERS_CSV_HEADER, type ConversionGroup } from '@t2s/contracts';

/**
 * The CSV export as text chunks: the header line, then one id per line, one chunk per batch read, so a
 * million ids pass through without being held in memory. Ids are digits or plain text keys; a value
 * that would need quoting is quoted anyway, so a strange warehouse key cannot break the file. With
 * `groupOf` (a segment holding out a control group) each line adds the client's group, `target` or
 * `control`; without it the file stays the one column existing clients read.
 */
export async function* membersCsv(
  batches: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
  groupOf?: ((clientId: string) => ConversionGroup) | null,
): AsyncGenerator<string> {
  yield `${groupOf ? MEMBERS_CSV_GROUP_HEADER : MEMBERS_CSV_HEADER}\n`;
  for await (const ids of batches) {
    if (ids.length === 0) continue;
    yield groupOf
      ? `${ids.map((id) => `${csvField(id)},${groupOf(id)}`).join('\n')}\n`
      : `${ids.map(csvField).join('\n')}\n`;
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
