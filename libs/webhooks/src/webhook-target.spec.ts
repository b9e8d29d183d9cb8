import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { segmentLinks } from '@t2s/contracts';
import type { WebhookEventRecord } from '@t2s/service-store';
import { deliverWebhookEvent } from './deliver';
import { generateWebhookSecret } from './webhook-secrets';
import { parseAllowedHosts, WebhookTargetPolicy, type ResolvedAddress } from './webhook-target';

/**
 * Every family of internal address, written as a URL host the way a prober would, with the address a
 * DNS answer would give for it. Each must be refused at POST (the URL) and at delivery (a public-looking
 * name that resolves to the address), with no connection attempted.
 */
const INTERNAL_TARGETS: Array<[family: string, urlHost: string, resolved: string]> = [
  ['IPv4 loopback', '127.0.0.1', '127.0.0.1'],
  ['IPv4 loopback, decimal', '2130706433', '127.0.0.1'],
  ['IPv4 loopback, hex', '0x7f.1', '127.0.0.1'],
  ['IPv4 loopback, octal', '0177.0.0.1', '127.0.0.1'],
  ['IPv4 loopback, short form', '127.1', '127.0.0.1'],
  ['IPv4 loopback, trailing dot', '127.0.0.1.', '127.0.0.1'],
  ['IPv4 loopback, top of 127/8', '127.255.255.254', '127.255.255.254'],
  ['cloud metadata (link-local)', '169.254.169.254', '169.254.169.254'],
  ['link-local', '169.254.0.1', '169.254.0.1'],
  ['private 10/8', '10.0.0.1', '10.0.0.1'],
  ['private 10/8, hex', '0x0a.0x0.0x0.0x1', '10.255.255.255'],
  ['private 172.16/12', '172.16.0.1', '172.16.0.1'],
  ['private 172.16/12, top', '172.31.255.254', '172.31.255.254'],
  ['private 192.168/16', '192.168.1.1', '192.168.1.1'],
  ['CGNAT 100.64/10', '100.64.0.1', '100.64.0.1'],
  ['CGNAT 100.64/10, top', '100.127.255.254', '100.127.255.254'],
  ['unspecified 0.0.0.0', '0.0.0.0', '0.0.0.0'],
  ['this network 0/8', '0.1.2.3', '0.1.2.3'],
  ['broadcast', '255.255.255.255', '255.255.255.255'],
  ['IPv4 multicast', '224.0.0.1', '239.255.255.250'],
  ['documentation TEST-NET-1', '192.0.2.1', '192.0.2.1'],
  ['documentation TEST-NET-2', '198.51.100.7', '198.51.100.7'],
  ['documentation TEST-NET-3', '203.0.113.9', '203.0.113.9'],
  ['benchmarking 198.18/15', '198.18.0.1', '198.19.255.1'],
  ['IETF protocol assignments 192.0.0/24', '192.0.0.1', '192.0.0.1'],
  ['reserved 240/4', '240.0.0.1', '250.1.2.3'],
  ['IPv6 loopback', '[::1]', '::1'],
  ['IPv6 loopback, long form', '[0:0:0:0:0:0:0:1]', '::1'],
  ['IPv6 unspecified', '[::]', '::'],
  ['IPv6 link-local', '[fe80::1]', 'fe80::1'],
  ['IPv6 link-local, upper case', '[FE80::ABCD]', 'fe80::abcd'],
  ['IPv6 link-local, zone id in the answer', '[fe80::2]', 'fe80::2%eth0'],
  ['unique-local fc00::/7', '[fc00::1]', 'fc00::1'],
  ['unique-local fd00::', '[fd00::]', 'fd12:3456:789a::1'],
  ['IPv6 multicast', '[ff02::1]', 'ff05::1:3'],
  ['site-local fec0::/10', '[fec0::1]', 'fec0::1'],
  ['IPv4-mapped loopback', '[::ffff:127.0.0.1]', '::ffff:127.0.0.1'],
  ['IPv4-mapped metadata', '[::ffff:169.254.169.254]', '::ffff:169.254.169.254'],
  ['IPv4-mapped, hex form', '[::ffff:a9fe:a9fe]', '::ffff:7f00:1'],
  ['IPv4-mapped public address', '[::ffff:8.8.8.8]', '::ffff:808:808'],
  ['IPv4-translated ::ffff:0:0:0/96', '[::ffff:0:a00:1]', '::ffff:0:a00:1'],
  ['IPv4-compatible', '[::127.0.0.1]', '::7f00:1'],
  ['IPv4-compatible, private', '[::a00:1]', '::10.0.0.1'],
  ['NAT64 64:ff9b::/96, private', '[64:ff9b::10.0.0.1]', '64:ff9b::a00:1'],
  ['NAT64 64:ff9b::/96, metadata', '[64:ff9b::a9fe:a9fe]', '64:ff9b::169.254.169.254'],
  ['NAT64 local-use 64:ff9b:1::/48', '[64:ff9b:1::a00:1]', '64:ff9b:1:0:0:0:c0a8:101'],
  ['6to4 carrying 10.0.0.1', '[2002:a00:1::1]', '2002:a00:1::1'],
  ['6to4 carrying 127.0.0.1', '[2002:7f00:1::]', '2002:7f00:1:1::5'],
  [
    'Teredo carrying client 10.0.0.1',
    '[2001:0:4136:e378:8000:63bf:f5ff:fffe]',
    '2001:0:4136:e378::f5ff:fffe',
  ],
  ['Teredo with server 192.168.1.1', '[2001:0:c0a8:101::1]', '2001:0:c0a8:101::1'],
  ['IPv6 documentation 2001:db8::/32', '[2001:db8::1]', '2001:db8:85a3::8a2e:370:7334'],
  ['IPv6 documentation 3fff::/20', '[3fff::1]', '3fff:fff::1'],
  ['IPv6 discard-only 100::/64', '[100::1]', '100::1'],
  ['IPv6 outside 2000::/3', '[4000::1]', 'c000::1'],
];

/** Names refused by themselves at POST: they only mean something inside a network. */
const INTERNAL_NAMES = [
  'localhost',
  'LOCALHOST',
  'localhost.',
  'api.localhost',
  'metadata.google.internal',
  'METADATA.GOOGLE.INTERNAL.',
  'vault.service.internal',
  'printer.local',
  'nas.home.arpa',
  '1.0.0.127.in-addr.arpa',
  'router.lan',
  'gitlab.corp',
  'db.localdomain',
  'redis',
  'metadata',
];

const policy = new WebhookTargetPolicy();

describe('WebhookTargetPolicy at POST', () => {
  it.each(INTERNAL_TARGETS)('refuses %s written as %s', (_family, host) => {
    expect(policy.refusalOfUrl(`http://${host}:6379/hooks`)).toEqual(expect.any(String));
    expect(policy.refusalOfUrl(`https://${host}/hooks`)).toEqual(expect.any(String));
  });

  it.each(INTERNAL_NAMES)('refuses the internal name %s', (host) => {
    expect(policy.refusalOfUrl(`https://${host}/hooks`)).toMatch(/internal name|single-label/);
  });

  it.each([
    ['ftp://co-marketer.example/hook', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['gopher://co-marketer.example:6379/_INFO', /http or https/],
    ['https://user:secret@co-marketer.example/hook', /Credentials/],
    ['https://user@co-marketer.example/hook', /Credentials/],
    ['https://[fe80::1%25eth0]/hook', /absolute http/],
    ['/relative/hook', /absolute http/],
  ])('refuses %s', (url, reason) => {
    expect(policy.refusalOfUrl(url)).toMatch(reason);
  });

  it('names the address family in the reason', () => {
    expect(policy.refusalOfUrl('http://0x7f.1/')).toBe('127.0.0.1 is a loopback address');
    expect(policy.refusalOfUrl('http://[::ffff:169.254.169.254]/')).toMatch(/IPv4-mapped/);
    expect(policy.refusalOfUrl('http://100.64.0.1/')).toMatch(/carrier-grade NAT/);
    expect(policy.refusalOfUrl('http://[2002:a00:1::1]/')).toMatch(/6to4 address carrying 10\.0\.0\.1/);
  });

  it.each([
    'https://co-marketer.bank.example/hooks/t2s?campaign=42',
    'http://hooks.co-marketer.ru:8443/t2s',
    'https://8.8.8.8/hook',
    'https://[2a00:1450:4010:c05::64]/hook',
    'https://[2002:808:808::1]/hook',
    'https://xn--80ak6aa92e.xn--p1ai/hook',
  ])('accepts the public target %s', (url) => {
    expect(policy.refusalOfUrl(url)).toBeNull();
  });
});

describe('the allow-list (WEBHOOK_ALLOWED_HOSTS)', () => {
  it('parses hosts and host:port, normalised as URLs normalise them', () => {
    expect(
      parseAllowedHosts(' receiver.internal , 127.0.0.1:8080,[::1]:9000, LOCALHOST. ,0x7f.1:81'),
    ).toEqual([
      { host: 'receiver.internal' },
      { host: '127.0.0.1', port: 8080 },
      { host: '[::1]', port: 9000 },
      { host: 'localhost' },
      { host: '127.0.0.1', port: 81 },
    ]);
    expect(parseAllowedHosts('')).toEqual([]);
  });

  it.each(['http://receiver', 'a b', 'user@host', 'host:0', 'host:70000', 'host/path', '[::1'])(
    'refuses the entry %j',
    (entry) => {
      expect(() => parseAllowedHosts(entry)).toThrow(/host or host:port|port outside/);
    },
  );

  it('lets an allowed host (and port) through, and nothing else', () => {
    const allowing = new WebhookTargetPolicy(parseAllowedHosts('receiver.internal,127.0.0.1:8080,[::1]'));
    expect(allowing.refusalOfUrl('http://receiver.internal/hook')).toBeNull();
    expect(allowing.refusalOfUrl('https://RECEIVER.internal./hook')).toBeNull();
    expect(allowing.refusalOfUrl('http://127.0.0.1:8080/hook')).toBeNull();
    expect(allowing.refusalOfUrl('http://2130706433:8080/hook')).toBeNull();
    expect(allowing.refusalOfUrl('http://[::1]:1234/hook')).toBeNull();
    expect(allowing.refusalOfUrl('http://127.0.0.1:8081/hook')).toMatch(/loopback/);
    expect(allowing.refusalOfUrl('http://127.0.0.1/hook')).toMatch(/loopback/);
    expect(allowing.refusalOfUrl('http://other.internal/hook')).toMatch(/internal name/);
    expect(allowing.refusalOfUrl('http://user:pw@receiver.internal/hook')).toMatch(/Credentials/);
    expect(allowing.refusalOfUrl('ftp://receiver.internal/hook')).toMatch(/http or https/);
  });

  it('matches a port against the scheme default when the URL gives none', () => {
    const allowing = new WebhookTargetPolicy(parseAllowedHosts('hooks.internal:443'));
    expect(allowing.refusalOfUrl('https://hooks.internal/x')).toBeNull();
    expect(allowing.refusalOfUrl('http://hooks.internal/x')).toMatch(/internal name/);
  });
});

describe('WebhookTargetPolicy at delivery (DNS answers)', () => {
  const answer =
    (...addresses: string[]) =>
    async (): Promise<ResolvedAddress[]> =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it.each(INTERNAL_TARGETS)('refuses a name resolving to %s (%s -> %s)', async (_family, _host, address) => {
    const resolution = await policy.resolve('https://hooks.co-marketer.example/t2s', answer(address));
    expect(resolution).toEqual({
      ok: false,
      reason: expect.stringContaining(`hooks.co-marketer.example resolves to ${address}`),
    });
  });

  it('refuses the whole answer when any one address is internal', async () => {
    const resolution = await policy.resolve(
      'https://hooks.co-marketer.example/t2s',
      answer('93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '10.0.0.7'),
    );
    expect(resolution).toMatchObject({ ok: false, reason: expect.stringContaining('10.0.0.7') });
  });

  it('returns the first address of an answer that is all public, to connect to as is', async () => {
    const resolution = await policy.resolve(
      'https://hooks.co-marketer.example/t2s',
      answer('93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'),
    );
    expect(resolution).toMatchObject({ ok: true, address: { address: '93.184.215.14', family: 4 } });
  });

  it('does not resolve IP literals, and lets an allowed name resolve anywhere', async () => {
    const resolver = jest.fn(answer('10.1.2.3'));
    expect(await policy.resolve('https://8.8.8.8/x', resolver)).toMatchObject({
      ok: true,
      address: { address: '8.8.8.8', family: 4 },
    });
    expect(resolver).not.toHaveBeenCalled();
    const allowing = new WebhookTargetPolicy(parseAllowedHosts('receiver.internal'));
    expect(await allowing.resolve('http://receiver.internal/x', resolver)).toMatchObject({
      ok: true,
      allowListed: true,
      address: { address: '10.1.2.3' },
    });
    expect(resolver).toHaveBeenCalledWith('receiver.internal');
  });

  it('reports a name that does not resolve as an error, not a refusal', async () => {
    const failing = async (): Promise<ResolvedAddress[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(policy.resolve('https://gone.co-marketer.example/', failing)).rejects.toThrow(
      'could not resolve gone.co-marketer.example: ENOTFOUND',
    );
  });
});

/**
 * The delivery itself, for every family: refused, and no TCP connection attempted. Every socket connect
 * made in these tests is diverted to a loopback trap server (so a regression could never send a packet
 * to a private or metadata address), and the trap counts the connections it accepts: none for refusals.
 */
describe('deliverWebhookEvent to internal targets', () => {
  let trap: Server;
  let trapPort: number;
  let trapConnections = 0;
  const connectAttempts: unknown[] = [];
  let connectSpy: jest.SpyInstance | undefined;
  const secrets = [generateWebhookSecret()];

  beforeAll(async () => {
    trap = createServer((_req, res) => res.writeHead(204).end());
    trap.on('connection', () => (trapConnections += 1));
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    trapPort = (trap.address() as net.AddressInfo).port;
    const original = net.Socket.prototype.connect as (options: net.NetConnectOpts) => net.Socket;
    connectSpy = jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (
      this: net.Socket,
      ...args: unknown[]
    ) {
      connectAttempts.push(args[0]);
      const toTrap: net.NetConnectOpts = { host: '127.0.0.1', port: trapPort };
      return original.call(this, toTrap);
    } as never);
  });
  afterAll(async () => {
    connectSpy?.mockRestore();
    trap.closeAllConnections();
    await new Promise<void>((resolve) => trap.close(() => resolve()));
  });
  beforeEach(() => {
    trapConnections = 0;
    connectAttempts.length = 0;
  });

  const event = (url: string): WebhookEventRecord => {
    const segmentId = randomUUID();
    return {
      id: randomUUID(),
      segmentId,
      apiKeyId: randomUUID(),
      revisionId: randomUUID(),
      url,
      body: {
        id: randomUUID(),
        createdAt: '2026-11-02T10:00:00.000Z',
        type: 'segment.succeeded',
        segment: {
          id: segmentId,
          revisionId: randomUUID(),
          links: segmentLinks(segmentId),
          status: 'succeeded',
          size: 1,
        },
      },
      createdAt: new Date(),
      deliveredAt: null,
    };
  };

  it('proves the trap works: an allowed name resolving to loopback is connected to, once', async () => {
    const allowing = new WebhookTargetPolicy(parseAllowedHosts(`receiver.example.test:${trapPort}`));
    const result = await deliverWebhookEvent(event(`http://receiver.example.test:${trapPort}/hook`), {
      secrets,
      timeoutMs: 5_000,
      targets: allowing,
      resolver: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    expect(result).toMatchObject({ statusCode: 204 });
    expect(trapConnections).toBe(1);
    expect(connectAttempts).toHaveLength(1);
  });

  it.each(INTERNAL_TARGETS)(
    'refuses %s without connecting: stored URL %s, and a name resolving to %s',
    async (_family, host, address) => {
      const resolver = jest.fn(async () => [{ address, family: address.includes(':') ? 6 : 4 } as const]);
      const literal = await deliverWebhookEvent(event(`http://${host}:${trapPort}/hook`), {
        secrets,
        timeoutMs: 5_000,
        resolver,
      });
      const named = await deliverWebhookEvent(event(`http://hooks.co-marketer.example:${trapPort}/hook`), {
        secrets,
        timeoutMs: 5_000,
        resolver,
      });
      for (const result of [literal, named]) {
        expect(result).toEqual({
          refused: true,
          error: expect.stringMatching(/^refused: /),
          durationMs: expect.any(Number),
        });
      }
      expect(resolver).toHaveBeenCalledTimes(1);
      expect(connectAttempts).toEqual([]);
      expect(trapConnections).toBe(0);
    },
  );

  it.each(INTERNAL_NAMES)(
    'refuses the stored URL https://%s/ without resolving or connecting',
    async (host) => {
      const resolver = jest.fn(async () => [{ address: '93.184.215.14', family: 4 } as const]);
      const result = await deliverWebhookEvent(event(`http://${host}:${trapPort}/`), {
        secrets,
        timeoutMs: 5_000,
        resolver,
      });
      expect(result).toMatchObject({ refused: true });
      expect(resolver).not.toHaveBeenCalled();
      expect(trapConnections).toBe(0);
    },
  );
});
