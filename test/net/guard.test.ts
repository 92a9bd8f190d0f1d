import type { LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../../src/net/errors.js';
import {
  checkFeedUrl,
  classifyAddress,
  guardedLookup,
  type LookupAll,
} from '../../src/net/guard.js';

async function refusal(promise: Promise<unknown>): Promise<FeedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}

/** A resolver that answers from a table, as DNS would. */
function dnsTable(table: Record<string, string[]>): LookupAll {
  return async (host) => {
    const addresses = table[host];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('classifyAddress', () => {
  it.each([
    // IPv4
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.5', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['198.18.0.1', 'reserved'],
    // IPv6
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    // IPv4 inside IPv6: judged by the IPv4 address
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.5', 'private'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:192.168.0.1', 'private'],
    ['::ffff:100.64.0.1', 'shared'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b:1::a9fe:a9fe', 'metadata'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    // Documentation and the rest of the special-purpose registries (RFC 6890)
    ['192.0.2.2', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.255', 'documentation'],
    ['::ffff:192.0.2.2', 'documentation'],
    ['64:ff9b::c633:6407', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['2001:db8:ffff::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['192.88.99.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['2001::1', 'reserved'], // Teredo
    ['2001:2::1', 'reserved'], // benchmarking
    ['2001:1ff::1', 'reserved'],
    ['100::1', 'reserved'], // discard-only
    ['5f00::1', 'reserved'], // SRv6
    ['4000::1', 'reserved'], // outside global unicast 2000::/3
    ['c000::1', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '11.0.0.1',
    '2001:4860:4860::8888',
    '2606:4700::1111',
    '2001:200::1',
    '2a00:1450:4001::1',
    '3ffe::1',
    '192.0.3.1',
    '198.51.101.1',
    '203.0.112.255',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });

  it('treats anything that is not an address as reserved', () => {
    expect(classifyAddress('not-an-ip')).toBe('reserved');
    expect(classifyAddress('1.2.3')).toBe('reserved');
  });
});

describe('checkFeedUrl', () => {
  const publicDns = dnsTable({ 'news.example': ['93.184.216.34', '2606:2800:220:1::1'] });

  it('accepts a public http(s) URL and returns it parsed', async () => {
    const url = await checkFeedUrl('https://news.example/feed.xml', { lookup: publicDns });
    expect(url.href).toBe('https://news.example/feed.xml');
  });

  it('refuses a private address in the words of the brief', async () => {
    const error = await refusal(checkFeedUrl('http://10.0.0.5/feed'));
    expect(error.code).toBe('refused');
    expect(error.message).toBe(
      'http://10.0.0.5/feed: refused: resolves to a private address (10.0.0.5)',
    );
  });

  it.each([
    ['http://127.0.0.1:8080/rss', 'a loopback address (127.0.0.1)'],
    ['http://169.254.169.254/latest/meta-data/', 'the cloud metadata address (169.254.169.254)'],
    ['http://[::1]/feed', 'a loopback address (::1)'],
    ['http://[::ffff:127.0.0.1]/feed', 'a loopback address (::ffff:7f00:1)'],
    ['http://[fd00::5]/feed', 'a private address (fd00::5)'],
    ['http://[fe80::1]/feed', 'a link-local address (fe80::1)'],
    ['http://0.0.0.0/feed', 'an unspecified address (0.0.0.0)'],
    ['http://100.64.3.4/feed', 'a shared (carrier-grade NAT) address (100.64.3.4)'],
    // The URL parser's readings of odd IPv4 forms are checked, not the text.
    ['http://2130706433/feed', 'a loopback address (127.0.0.1)'],
    ['http://0x7f.1/feed', 'a loopback address (127.0.0.1)'],
    ['http://127.1/feed', 'a loopback address (127.0.0.1)'],
    ['http://0251.0376.0251.0376/', 'the cloud metadata address (169.254.169.254)'],
  ])('refuses %s: %s', async (url, words) => {
    const error = await refusal(checkFeedUrl(url));
    expect(error.code).toBe('refused');
    expect(error.detail).toBe(`refused: resolves to ${words}`);
  });

  it.each([
    ['http://192.0.2.2:8080/metrics', 'a documentation-only address (192.0.2.2)'],
    ['http://198.51.100.7/feed', 'a documentation-only address (198.51.100.7)'],
    ['http://203.0.113.9/feed', 'a documentation-only address (203.0.113.9)'],
    ['http://[2001:db8::5]/feed', 'a documentation-only address (2001:db8::5)'],
    ['http://198.18.0.1/feed', 'a reserved address (198.18.0.1)'],
  ])('refuses the documentation and benchmark ranges: %s', async (url, words) => {
    const error = await refusal(checkFeedUrl(url));
    expect(error.code).toBe('refused');
    expect(error.detail).toBe(`refused: resolves to ${words}`);
  });

  it("refuses this machine's own public address, by name or number, in any form", async () => {
    const localAddresses = () => ['127.0.0.1', '93.184.216.34', 'fe80::1%eth0'];
    const lookup = dnsTable({ 'self.example': ['93.184.216.34'], 'other.example': ['8.8.8.8'] });
    for (const url of [
      'http://93.184.216.34:8080/metrics',
      'http://self.example:8080/metrics',
      'http://[::ffff:93.184.216.34]:8080/metrics',
    ]) {
      const error = await refusal(checkFeedUrl(url, { lookup, localAddresses }));
      expect(error.code).toBe('refused');
      expect(error.detail).toMatch(
        /^refused: resolves to this machine's own address \((93\.184\.216\.34|::ffff:5db8:d822)\)$/,
      );
    }
    const other = await checkFeedUrl('http://other.example/feed', { lookup, localAddresses });
    expect(other.hostname).toBe('other.example');
    // The escape hatch for config feeds still lets it through.
    const allowed = await checkFeedUrl('http://93.184.216.34:8080/metrics', {
      allowPrivate: true,
      localAddresses,
    });
    expect(allowed.port).toBe('8080');
  });

  it("refuses every address of this machine's real interfaces", async () => {
    const addresses = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .map((info) => info.address.replace(/%.*$/, ''));
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) {
      const host = address.includes(':') ? `[${address}]` : address;
      const error = await refusal(checkFeedUrl(`http://${host}:8080/metrics`));
      expect(error.code).toBe('refused');
    }
  });

  it('resolves a name and refuses it when any of its addresses is private', async () => {
    const lookup = dnsTable({
      'intranet.example': ['10.1.2.3'],
      'mixed.example': ['93.184.216.34', '192.168.0.10'],
      'metadata.example': ['169.254.169.254'],
      'mapped.example': ['::ffff:10.0.0.1'],
    });
    for (const [host, address, kind] of [
      ['intranet.example', '10.1.2.3', 'private'],
      ['mixed.example', '192.168.0.10', 'private'],
      ['metadata.example', '169.254.169.254', 'cloud metadata'],
      ['mapped.example', '::ffff:10.0.0.1', 'private'],
    ]) {
      const error = await refusal(checkFeedUrl(`https://${host}/rss`, { lookup }));
      expect(error.code).toBe('refused');
      expect(error.message).toContain(`https://${host}/rss: refused: resolves to`);
      expect(error.message).toContain(`${kind} address (${address})`);
    }
  });

  it('refuses localhost through the real resolver', async () => {
    const error = await refusal(checkFeedUrl('http://localhost:9/feed'));
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(
      /^http:\/\/localhost:9\/feed: refused: resolves to a loopback address \((127\.0\.0\.1|::1)\)$/,
    );
  });

  it('allows private addresses and skips DNS with allowPrivate (config feeds, tests)', async () => {
    let asked = 0;
    const lookup: LookupAll = async () => {
      asked++;
      return [{ address: '10.0.0.1', family: 4 }];
    };
    expect((await checkFeedUrl('http://127.0.0.1:3000/feed', { allowPrivate: true })).port).toBe(
      '3000',
    );
    await checkFeedUrl('http://intranet.local/feed', { allowPrivate: true, lookup });
    expect(asked).toBe(0);
  });

  it('only takes http and https, and file: only with allowFile', async () => {
    for (const url of ['ftp://files.example/feed', 'gopher://x.example/', 'javascript:alert(1)']) {
      const error = await refusal(checkFeedUrl(url, { allowPrivate: true }));
      expect(error.code).toBe('bad-url');
      expect(error.message).toMatch(/only http:\/\/ and https:\/\/ feeds are supported/);
    }
    const file = await refusal(checkFeedUrl('file:///etc/passwd', { allowPrivate: true }));
    expect(file.code).toBe('bad-url');
    expect(file.message).toBe(
      'file:///etc/passwd: file: feeds can only be set in the config file; give an http:// or https:// URL',
    );
    const allowed = await checkFeedUrl('file:///srv/demo/feed.xml', { allowFile: true });
    expect(allowed.protocol).toBe('file:');
  });

  it('names a malformed URL and a host that does not resolve', async () => {
    const bad = await refusal(checkFeedUrl('not a url'));
    expect(bad.code).toBe('bad-url');
    expect(bad.message).toBe('not a url: is not a valid URL');
    const missing = await refusal(
      checkFeedUrl('https://nowhere.example/feed', { lookup: publicDns }),
    );
    expect(missing.code).toBe('unreachable');
    expect(missing.message).toBe(
      'https://nowhere.example/feed: host not found (DNS lookup failed)',
    );
  });

  it('hides credentials in messages', async () => {
    const error = await refusal(checkFeedUrl('http://user:secret@10.0.0.5/feed'));
    expect(error.message).not.toContain('secret');
    expect(error.message).toBe(
      'http://10.0.0.5/feed: refused: resolves to a private address (10.0.0.5)',
    );
  });
});

describe('guardedLookup (the guard as a socket resolves its host)', () => {
  type Answer = { error: Error | null; address?: unknown; family?: number | undefined };
  /** Calls the lookup as net.connect does, with or without `all`. */
  function resolve(lookup: LookupFunction, host: string, options: LookupOptions): Promise<Answer> {
    return new Promise((done) => {
      lookup(host, options, (error, address, family) => done({ error, address, family }));
    });
  }
  const dns = dnsTable({
    'wire.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'mixed.example': ['93.184.216.34', '10.0.0.7'],
    'empty.example': [],
  });

  it('hands the socket exactly the addresses it checked', async () => {
    const all = await resolve(guardedLookup(dns), 'wire.example', { all: true });
    expect(all.error).toBeNull();
    expect(all.address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
    const one = await resolve(guardedLookup(dns), 'wire.example', {});
    expect(one).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    const v6 = await resolve(guardedLookup(dns), 'wire.example', { family: 6 });
    expect(v6.address).toBe('2606:2800:220:1:248:1893:25c8:1946');
  });

  it('refuses a host with any non-public address, naming the host and the address', async () => {
    const { error } = await resolve(guardedLookup(dns), 'mixed.example', { all: true });
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe('refused');
    expect((error as FeedError).detail).toBe(
      'refused: mixed.example resolves to a private address (10.0.0.7)',
    );
  });

  it("refuses a host that resolves to this machine's own address", async () => {
    const local = () => ['93.184.216.34'];
    const { error } = await resolve(guardedLookup(dns, local), 'wire.example', { all: true });
    expect((error as FeedError).detail).toBe(
      "refused: wire.example resolves to this machine's own address (93.184.216.34)",
    );
  });

  it('passes DNS failures on as the resolver gave them', async () => {
    const missing = await resolve(guardedLookup(dns), 'nowhere.example', {});
    expect((missing.error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
    const empty = await resolve(guardedLookup(dns), 'empty.example', { all: true });
    expect((empty.error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });
});
