/**
 * The iterable with its first item already read, so whatever fails before the first item (an access
 * check, the first database query) is thrown here, while the handler can still answer with the
 * contract's error, instead of cutting a 200 response short. Closing the result closes the source.
 */
export async function started<T>(source: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  return (async function* () {
    try {
      for (let next = first; !next.done; next = await iterator.next()) yield next.value;
    } finally {
      // A client that disconnects ends the stream early: let the source release what it holds.
      await iterator.return?.();
    }
  })();
}
