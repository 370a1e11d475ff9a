import { SchemaCache } from './schema';

describe('SchemaCache', () => {
  it('asks the backend once per name while the answer is fresh', async () => {
    let now = 0;
    const get = jest.fn(async (path: string) => (path === 'keyspaces' ? ['a', 'b'] : ['t1']));
    const cache = new SchemaCache(get as never, 'a', () => now);

    await expect(cache.getKeyspaces()).resolves.toEqual(['a', 'b']);
    await expect(cache.getKeyspaces()).resolves.toEqual(['a', 'b']);
    await expect(cache.getTables('a')).resolves.toEqual(['t1']);
    expect(get).toHaveBeenCalledTimes(2);
    expect(get).toHaveBeenCalledWith('tables', { keyspace: 'a' });

    now += 10 * 60 * 1000;
    await cache.getKeyspaces();
    expect(get).toHaveBeenCalledTimes(3);
  });

  it('answers an empty list when the resource fails, and asks again next time', async () => {
    const get = jest
      .fn()
      .mockRejectedValueOnce({ status: 500, data: { error: 'node down' } })
      .mockResolvedValueOnce([{ name: 'ts', type: 'timestamp', kind: 'clustering' }]);
    const cache = new SchemaCache(get);

    await expect(cache.getColumns('ks', 't')).resolves.toEqual([]);
    await expect(cache.getColumns('ks', 't')).resolves.toEqual([{ name: 'ts', type: 'timestamp', kind: 'clustering' }]);
    expect(get).toHaveBeenCalledWith('columns', { keyspace: 'ks', table: 't' });
  });

  it('treats an answer of the wrong shape as a failure', async () => {
    const cache = new SchemaCache(jest.fn().mockResolvedValue({ error: 'oops' }));
    await expect(cache.getKeyspaces()).resolves.toEqual([]);
    await expect(cache.getColumns('k', 't')).resolves.toEqual([]);
  });
});
