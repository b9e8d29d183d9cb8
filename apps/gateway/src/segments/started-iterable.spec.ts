import { started } from './started-iterable';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe('started', () => {
  it('throws a failure before the first item when called, not when read', async () => {
    const failing: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('no result')) }),
    };
    await expect(started(failing)).rejects.toThrow('no result');
  });

  it('yields every item, the first included, once', async () => {
    let reads = 0;
    const source = (async function* () {
      for (const item of ['a', 'b', 'c']) {
        reads++;
        yield item;
      }
    })();
    const stream = await started(source);
    expect(reads).toBe(1);
    expect(await collect(stream)).toEqual(['a', 'b', 'c']);
    expect(await collect(await started((async function* () {})()))).toEqual([]);
  });

  it('closes the source when the reader stops early', async () => {
    let closed = false;
    const source = (async function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    })();
    for await (const item of await started(source)) if (item === 2) break;
    expect(closed).toBe(true);
  });
});
