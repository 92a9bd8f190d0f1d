import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreUrlError } from '../../src/store/errors.js';
import { parseStoreUrl, storeLocation } from '../../src/store/open.js';

describe('which store a URL names', () => {
  const cwd = '/srv/bot';

  it('a path, sqlite:PATH or sqlite:///PATH is a SQLite file; :memory: a throwaway one', () => {
    expect(parseStoreUrl('data/briefwire.db', { cwd })).toEqual({
      kind: 'sqlite',
      file: path.resolve(cwd, 'data/briefwire.db'),
    });
    expect(parseStoreUrl('sqlite:state.db', { cwd })).toEqual({
      kind: 'sqlite',
      file: path.resolve(cwd, 'state.db'),
    });
    expect(parseStoreUrl('sqlite:///var/lib/briefwire.db', { cwd })).toEqual({
      kind: 'sqlite',
      file: '/var/lib/briefwire.db',
    });
    expect(parseStoreUrl('sqlite::memory:', { cwd })).toEqual({ kind: 'sqlite', file: ':memory:' });
  });

  it('postgres:// and postgresql:// name a server and database, shown without the password', () => {
    const location = parseStoreUrl('postgres://bot:s%40cret@db.internal:6543/news?sslmode=require');
    expect(location).toEqual({
      kind: 'postgres',
      url: 'postgres://bot:s%40cret@db.internal:6543/news?sslmode=require',
      where: 'PostgreSQL at db.internal:6543, database news',
      password: 's@cret',
    });
    expect(parseStoreUrl('postgresql://bot@localhost/briefwire')).toMatchObject({
      where: 'PostgreSQL at localhost:5432, database briefwire',
      password: null,
    });
  });

  it('refuses another scheme, or a URL it cannot read, without repeating the password', () => {
    expect(() => parseStoreUrl('mysql://root:hunter2@db/news', { source: 'DATABASE_URL' })).toThrow(
      new StoreUrlError(
        'DATABASE_URL: briefwire cannot store in "mysql:" (use postgres://USER:PASSWORD@HOST:PORT/DATABASE, or a SQLite file path)',
      ),
    );
    let error: unknown;
    try {
      parseStoreUrl('postgres://bot:hunter2@db:notaport/news', { source: 'DATABASE_URL' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(StoreUrlError);
    expect((error as Error).message).toMatch(/^DATABASE_URL is not a valid URL/);
    expect((error as Error).message).not.toMatch(/hunter2/);
  });

  it('DATABASE_URL when set, else the SQLite file of the data dir', () => {
    expect(storeLocation({}, '/srv/bot/data')).toEqual({
      kind: 'sqlite',
      file: '/srv/bot/data/briefwire.db',
    });
    expect(storeLocation({ DATABASE_URL: '  ' }, '/srv/bot/data')).toMatchObject({
      kind: 'sqlite',
    });
    expect(
      storeLocation({ DATABASE_URL: 'postgres://bot:pw@127.0.0.1:5433/news' }, '/srv/bot/data'),
    ).toMatchObject({ kind: 'postgres', where: 'PostgreSQL at 127.0.0.1:5433, database news' });
  });
});
