import { lookup as dnsLookup } from 'node:dns/promises';
import * as http from 'node:http';
import type * as https from 'node:https';
import { isIP, isIPv4, isIPv6, type LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import { FeedError, shownUrl as shown } from './errors.js';
import { AGENT_OPTIONS, type HttpAgents } from './http.js';

/** Resolves a host name to every address it has (as `dns.lookup(host, {all: true})`). */
export type LookupAll = (host: string) => Promise<{ address: string; family: number }[]>;

export interface GuardOptions {
  /**
   * Allow loopback, private, link-local… addresses: feeds from the config file (a user's
   * intranet, the demo) and tests on 127.0.0.1. Never for URLs typed in a chat.
   */
  allowPrivate?: boolean | undefined;
  /** Allow `file:` URLs (feeds from the config file). */
  allowFile?: boolean | undefined;
  /** DNS resolution; defaults to node:dns lookup with `all: true`. For tests. */
  lookup?: LookupAll | undefined;
  /** This machine's own addresses; defaults to machineAddresses(). For tests. */
  localAddresses?: LocalAddresses | undefined;
}

/** The addresses of this machine's network interfaces, as os.networkInterfaces() lists them. */
export type LocalAddresses = () => readonly string[];

/** Why an address is no place for a feed fetch, as a message says it. */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'shared'
  | 'multicast'
  | 'documentation'
  | 'reserved'
  | 'own';

const DESCRIPTION: Record<AddressClass, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  metadata: 'the cloud metadata address',
  unspecified: 'an unspecified address',
  shared: 'a shared (carrier-grade NAT) address',
  multicast: 'a multicast address',
  documentation: 'a documentation-only address',
  reserved: 'a reserved address',
  own: "this machine's own address",
};

/**
 * [first byte…, prefix length, class]: IPv4 ranges a feed fetch must not reach: the IANA
 * special-purpose registry (RFC 6890) but for the few blocks that are globally reachable
 * anycast services (AS112, AMT), which serve no feeds either way. Documentation ranges are
 * here because machines are given them in labs and containers: to the guard they are the
 * host's neighbours, not the internet.
 */
const V4_RANGES: [number[], number, AddressClass][] = [
  [[169, 254, 169, 254], 32, 'metadata'],
  [[0], 8, 'unspecified'], // "this network"; 0.0.0.0 reaches the local host
  [[127], 8, 'loopback'],
  [[10], 8, 'private'],
  [[172, 16], 12, 'private'],
  [[192, 168], 16, 'private'],
  [[169, 254], 16, 'link-local'],
  [[100, 64], 10, 'shared'],
  [[192, 0, 0], 24, 'reserved'], // IETF protocol assignments
  [[192, 0, 2], 24, 'documentation'], // TEST-NET-1 (RFC 5737)
  [[198, 51, 100], 24, 'documentation'], // TEST-NET-2
  [[203, 0, 113], 24, 'documentation'], // TEST-NET-3
  [[192, 88, 99], 24, 'reserved'], // 6to4 relay anycast, deprecated (RFC 7526)
  [[198, 18], 15, 'reserved'], // benchmarking (RFC 2544)
  [[224], 4, 'multicast'],
  [[240], 4, 'reserved'], // incl. 255.255.255.255
];

/**
 * IPv6 ranges (addresses with an IPv4 address inside are judged by that address first).
 * Outside 2000::/3, the only block IANA hands out as global unicast, everything is
 * reserved (discard-only 100::/64, SRv6 5f00::/16, …) unless listed here.
 */
const V6_RANGES: [number[], number, AddressClass][] = [
  [[0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54], 128, 'metadata'],
  [[0xfc], 7, 'private'], // unique local
  [[0xfe, 0xc0], 10, 'private'], // site-local (deprecated, still routed by some)
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xff], 8, 'multicast'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'], // RFC 3849
  [[0x3f, 0xff], 20, 'documentation'], // RFC 9637
  // IETF protocol assignments: Teredo (an IPv4 address in disguise), benchmarking, ORCHID
  [[0x20, 0x01], 23, 'reserved'],
];

/** 2000::/3: IPv6 global unicast. */
const GLOBAL_UNICAST: [number[], number] = [[0x20], 3];

function inRange(bytes: Uint8Array | number[], prefix: number[], bits: number): boolean {
  for (let k = 0; k * 8 < bits; k++) {
    const take = Math.min(8, bits - k * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[k] ?? 0) & mask) !== ((prefix[k] ?? 0) & mask)) return false;
  }
  return true;
}

function parseV4(address: string): number[] | null {
  if (!isIPv4(address)) return null;
  return address.split('.').map(Number);
}

/** An IPv6 address as 16 bytes (accepts the dotted IPv4 tail, e.g. `::ffff:10.0.0.1`). */
function parseV6(address: string): Uint8Array | null {
  const plain = address.replace(/%.*$/, ''); // zone id (fe80::1%eth0)
  if (!isIPv6(plain)) return null;
  let text = plain;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = parseV4(dotted[1]);
    if (!v4) return null;
    const [a = 0, b = 0, c = 0, d = 0] = v4;
    const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    text = text.slice(0, -dotted[1].length) + hex;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, k) => {
    const n = Number.parseInt(g, 16);
    bytes[2 * k] = n >> 8;
    bytes[2 * k + 1] = n & 0xff;
  });
  return bytes;
}

/** The IPv4 address inside an IPv6 one: mapped, translated, compatible, NAT64, 6to4. */
function embeddedV4(b: Uint8Array): number[] | null {
  const zero = (from: number, to: number): boolean => b.subarray(from, to).every((x) => x === 0);
  const tail = (): number[] => Array.from(b.subarray(12, 16));
  // ::ffff:a.b.c.d (mapped)
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return tail();
  // ::ffff:0:a.b.c.d (SIIT translated)
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return tail();
  // ::a.b.c.d (IPv4-compatible, deprecated); :: and ::1 are judged as IPv6
  if (zero(0, 12) && !(zero(12, 15) && (b[15] ?? 0) <= 1)) return tail();
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix) and 64:ff9b:1::/48 (local-use NAT64)
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    if (zero(4, 12)) return tail();
    if (b[4] === 0 && b[5] === 1) return tail();
  }
  // 2002:a.b.c.d::/48 (6to4)
  if (b[0] === 0x20 && b[1] === 0x02) return Array.from(b.subarray(2, 6));
  return null;
}

function classifyV4(v4: number[]): AddressClass | null {
  for (const [prefix, bits, kind] of V4_RANGES) if (inRange(v4, prefix, bits)) return kind;
  return null;
}

/**
 * The kind of non-public address this is (`loopback`, `private`, `link-local`, `metadata`,
 * `unspecified`, `shared`, `multicast`, `documentation`, `reserved`), or null for an
 * ordinary public address (judgeAddress adds this machine's own). IPv6 addresses carrying an IPv4 address (`::ffff:127.0.0.1`, NAT64, 6to4) are
 * judged by it. Anything that is not an IP address is `reserved`: never trust what cannot
 * be read.
 */
export function classifyAddress(address: string): AddressClass | null {
  const v4 = parseV4(address);
  if (v4) return classifyV4(v4);
  const v6 = parseV6(address);
  if (!v6) return 'reserved';
  if (v6.every((x) => x === 0)) return 'unspecified';
  if (v6.subarray(0, 15).every((x) => x === 0) && v6[15] === 1) return 'loopback';
  const inner = embeddedV4(v6);
  if (inner) return classifyV4(inner);
  for (const [prefix, bits, kind] of V6_RANGES) if (inRange(v6, prefix, bits)) return kind;
  return inRange(v6, ...GLOBAL_UNICAST) ? null : 'reserved';
}

/** An address as the machine it reaches: an IPv4 address inside an IPv6 one is that address. */
function addressKey(address: string): string | null {
  const v4 = parseV4(address);
  if (v4) return v4.join('.');
  const v6 = parseV6(address);
  if (!v6) return null;
  const inner = embeddedV4(v6);
  return inner ? inner.join('.') : Buffer.from(v6).toString('hex');
}

/** Interfaces come and go (DHCP, VPN, containers): their list is read again after this. */
const LOCAL_ADDRESSES_MS = 5_000;
let localAddresses: { at: number; addresses: readonly string[] } | undefined;

/** Every address of this machine's network interfaces, read at most every 5 s. */
export const machineAddresses: LocalAddresses = () => {
  const now = Date.now();
  if (!localAddresses || now - localAddresses.at > LOCAL_ADDRESSES_MS) {
    const addresses = Object.values(networkInterfaces()).flatMap((list) =>
      (list ?? []).map((info) => info.address),
    );
    localAddresses = { at: now, addresses };
  }
  return localAddresses.addresses;
};

/**
 * classifyAddress, then `own` for a public address of this machine: services bound to
 * 0.0.0.0 (metrics, admin pages) answer on it as on 127.0.0.1.
 */
export function judgeAddress(
  address: string,
  local: LocalAddresses = machineAddresses,
): AddressClass | null {
  const kind = classifyAddress(address);
  if (kind) return kind;
  const key = addressKey(address);
  return local().some((own) => addressKey(own) === key) ? 'own' : null;
}

const defaultLookup: LookupAll = (host) => dnsLookup(host, { all: true, verbatim: true });

const DNS_PROBLEMS: Record<string, string> = {
  ENOTFOUND: 'host not found (DNS lookup failed)',
  ENODATA: 'host not found (DNS lookup failed)',
  EAI_AGAIN: 'DNS lookup failed for now; check the network and try again',
};

/**
 * The SSRF guard for feed URLs, e.g. added from a chat: only http(s) (`file:` with
 * `allowFile`), and unless `allowPrivate`, a host that is (or resolves to, any of its DNS
 * addresses) a loopback, private, link-local, cloud-metadata, unspecified, carrier-grade
 * NAT, multicast, documentation or reserved address, or one of this machine's own
 * addresses — IPv4, IPv6 and IPv4 inside IPv6 alike — is refused:
 * `http://10.0.0.5/feed: refused: resolves to a private address (10.0.0.5)`.
 *
 * Pass it as fetchBytes' `checkUrl` so every redirect hop is checked too (fetchFeed does).
 * Resolves to the parsed URL; throws FeedError `bad-url`, `refused` or `unreachable` (DNS).
 */
export async function checkFeedUrl(url: string | URL, options: GuardOptions = {}): Promise<URL> {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url.trim()) : url;
  } catch {
    throw new FeedError('bad-url', String(url), 'is not a valid URL');
  }
  if (parsed.protocol === 'file:') {
    if (options.allowFile) return parsed;
    throw new FeedError(
      'bad-url',
      shown(parsed),
      'file: feeds can only be set in the config file; give an http:// or https:// URL',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FeedError(
      'bad-url',
      shown(parsed),
      `only http:// and https:// feeds are supported, not ${parsed.protocol}//`,
    );
  }
  if (options.allowPrivate) return parsed;

  // The WHATWG parser already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new FeedError('bad-url', shown(parsed), 'has no host');
  let addresses: string[];
  if (isIPv4(host) || isIPv6(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await (options.lookup ?? defaultLookup)(host)).map((a) => a.address);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const words = (typeof code === 'string' && DNS_PROBLEMS[code]) || 'DNS lookup failed';
      throw new FeedError('unreachable', shown(parsed), words, { cause: error });
    }
    if (addresses.length === 0) {
      throw new FeedError('unreachable', shown(parsed), 'host not found (no DNS addresses)');
    }
  }
  for (const address of addresses) {
    const kind = judgeAddress(address, options.localAddresses);
    if (kind) {
      throw new FeedError(
        'refused',
        shown(parsed),
        `refused: resolves to ${DESCRIPTION[kind]} (${address})`,
      );
    }
  }
  return parsed;
}

/** `host resolves to a loopback address (127.0.0.1)`, or null for a public address. */
function refusal(host: string, address: string, local?: LocalAddresses): string | null {
  const kind = judgeAddress(address, local);
  if (!kind) return null;
  return host === address
    ? `refused: resolves to ${DESCRIPTION[kind]} (${address})`
    : `refused: ${host} resolves to ${DESCRIPTION[kind]} (${address})`;
}

/**
 * The SSRF guard where it cannot be fooled: as a socket's DNS lookup. It resolves the name
 * (`lookup`, else node:dns), refuses it — FeedError `refused`, naming the host and the
 * address — when any of its addresses is not public, and otherwise hands the socket exactly
 * the addresses it checked, so that a second, different DNS answer (rebinding) never gets a
 * say. Takes both forms of Node's lookup callback (`all` or a single address).
 */
export function guardedLookup(
  lookup: LookupAll = defaultLookup,
  local?: LocalAddresses,
): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname).then(
      (found) => {
        const family = typeof options.family === 'number' ? options.family : 0;
        const addresses = found
          .map((a) => ({ address: a.address, family: isIPv6(a.address) ? 6 : 4 }))
          .filter((a) => family === 0 || a.family === family);
        for (const { address } of addresses) {
          const why = refusal(hostname, address, local);
          if (why) {
            callback(new FeedError('refused', hostname, why), '', 0);
            return;
          }
        }
        const [head] = addresses;
        if (!head) {
          const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
            code: 'ENOTFOUND',
            hostname,
          });
          callback(error, '', 0);
          return;
        }
        if (options.all) {
          (callback as unknown as (e: null, all: { address: string; family: number }[]) => void)(
            null,
            addresses,
          );
        } else {
          callback(null, head.address, head.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/**
 * An agent whose every connection goes through the guard: a host name through
 * guardedLookup (the agent's `lookup`, which it hands to net/tls.connect), an IP address in
 * the URL checked as it is. Its sockets connect to the address that was checked, whatever
 * DNS says in between; kept-alive ones were checked when they connected.
 */
function guardAgent<A extends http.Agent>(agent: A, local?: LocalAddresses): A {
  const connect = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const host = String(options.hostname ?? options.host ?? '').replace(/^\[|\]$/g, '');
    const why = isIP(host) ? refusal(host, host, local) : null;
    if (why) {
      const error = new FeedError('refused', host, why);
      if (callback) process.nextTick(callback, error, undefined);
      return undefined;
    }
    return connect(options, callback);
  };
  return agent;
}

/** Guarded http and https agents; `lookup` and `local` as in GuardOptions. */
export async function createGuardedAgents(
  lookup?: LookupAll,
  local?: LocalAddresses,
): Promise<HttpAgents> {
  const tls = await import('node:https');
  const options = { ...AGENT_OPTIONS, lookup: guardedLookup(lookup, local) };
  return {
    http: guardAgent(new http.Agent(options), local),
    https: guardAgent(new tls.Agent(options) as https.Agent, local),
  };
}

let sharedAgents: Promise<HttpAgents> | undefined;

/** Whether guardedAgents(options) makes a new pair, which its caller must destroy. */
export function ownsAgents(options: GuardOptions): boolean {
  return !options.allowPrivate && (!!options.lookup || !!options.localAddresses);
}

/**
 * The guarded agents for a fetch: one shared pair (system DNS, this machine's interfaces)
 * kept for the process, or a new pair when a test gives its own `lookup` or
 * `localAddresses` (see ownsAgents). Null with `allowPrivate`: any address will do.
 */
export function guardedAgents(options: GuardOptions = {}): Promise<HttpAgents> | null {
  if (options.allowPrivate) return null;
  if (ownsAgents(options)) return createGuardedAgents(options.lookup, options.localAddresses);
  sharedAgents ??= createGuardedAgents();
  return sharedAgents;
}
