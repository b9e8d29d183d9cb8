import { lookup as dnsLookup } from 'node:dns/promises';
import { z } from 'zod';
import { commaList } from '@t2s/db';
import { isIPv4Literal, isIPv6Literal, refusalOfAddress } from './address-ranges';

/**
 * Where webhooks may go. A URL given at POST is checked here by its text (scheme, credentials, names that
 * are internal by construction, IP literals); at each delivery the host name is resolved once, every
 * address of the answer is checked, and the connection goes to the checked address (deliver.ts), so a
 * name that resolves to a public address at POST and to 127.0.0.1 later (DNS rebinding) is still refused.
 *
 * The deployment's own receivers may be allowed by host, or host and port (WEBHOOK_ALLOWED_HOSTS):
 * an allowed target skips the name and address checks, nothing else.
 */

/** One `WEBHOOK_ALLOWED_HOSTS` entry; `port` undefined allows every port of the host. */
export interface AllowedHost {
  /** As the WHATWG URL parser writes it: lower case, IPv4 dotted, IPv6 in brackets, no trailing dot. */
  host: string;
  port?: number;
}

/** One address of a DNS answer, as `dns.lookup(name, { all: true })` gives it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name (never an IP literal) to every address a connection could use. */
export type WebhookResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver, as a connection would use it (hosts file, search domains, A and AAAA). */
export const systemResolver: WebhookResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

export type UrlCheck =
  | {
      ok: true;
      url: URL;
      /** url.hostname without the trailing dot and IPv6 brackets: what is resolved. */
      hostname: string;
      /** An allow-listed target: no name or address check applies. */
      allowListed: boolean;
      /** Set when the host is an IP literal: there is nothing to resolve. */
      literal?: ResolvedAddress;
    }
  | { ok: false; reason: string };

export type TargetResolution =
  | { ok: true; url: URL; hostname: string; address: ResolvedAddress; allowListed: boolean }
  | { ok: false; reason: string };

/**
 * Names that only ever mean something inside a network: special-use names (RFC 6761 `localhost`, RFC
 * 6762 `.local`, RFC 8375 `home.arpa`, ICANN's private-use `.internal`, which holds cloud metadata
 * names such as metadata.google.internal), reverse-lookup names, and undelegated suffixes that internal
 * networks use (`.localdomain`, `.lan`, `.home`, `.corp`, `.intranet`).
 */
const INTERNAL_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'arpa',
  'localdomain',
  'lan',
  'home',
  'corp',
  'intranet',
] as const;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

export class WebhookTargetPolicy {
  constructor(readonly allowedHosts: readonly AllowedHost[] = []) {}

  /** What the gateway runs at POST: null when the URL may be stored, else why not. */
  refusalOfUrl(url: string): string | null {
    const check = this.checkUrl(url);
    return check.ok ? null : check.reason;
  }

  /** The checks that need no DNS; also the first step of every delivery. */
  checkUrl(text: string): UrlCheck {
    let url: URL;
    try {
      // WHATWG parsing normalises every spelling of a host: 0x7f.1, 2130706433, 0177.0.0.1 and 127.1
      // are all 127.0.0.1, upper case is lowered, ::ffff:169.254.169.254 becomes [::ffff:a9fe:a9fe].
      url = new URL(text);
    } catch {
      return { ok: false, reason: 'Must be an absolute http(s) URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, reason: 'Must be an http or https URL' };
    }
    if (url.username !== '' || url.password !== '') {
      return { ok: false, reason: 'Credentials in the URL are not allowed' };
    }
    const hostname = bareHost(url.hostname);
    if (hostname === '') return { ok: false, reason: 'Must name a host' };
    const allowListed = this.isAllowed(url);
    const literal = literalAddress(hostname);
    if (allowListed) return { ok: true, url, hostname, allowListed, ...(literal ? { literal } : {}) };

    if (literal) {
      const refusal = refusalOfAddress(literal.address);
      if (refusal !== null) return { ok: false, reason: `${hostname} is ${refusal}` };
      return { ok: true, url, hostname, allowListed, literal };
    }
    const refusal = refusalOfName(hostname);
    if (refusal !== null) return { ok: false, reason: refusal };
    return { ok: true, url, hostname, allowListed };
  }

  /**
   * The delivery-time check: the URL's checks, then one resolution whose every address must pass (one
   * bad address refuses the whole answer: the connection could have used it). Returns the address to
   * connect to, which the caller must use as is, never resolving the name again.
   */
  async resolve(text: string, resolver: WebhookResolver): Promise<TargetResolution> {
    const check = this.checkUrl(text);
    if (!check.ok) return check;
    const { url, hostname, allowListed } = check;
    if (check.literal) return { ok: true, url, hostname, allowListed, address: check.literal };

    let answer: ResolvedAddress[];
    try {
      answer = await resolver(hostname);
    } catch (error) {
      // Not a refusal: a name that does not resolve now may later; the attempt fails and is retried.
      throw new WebhookResolveError(hostname, error);
    }
    if (answer.length === 0) throw new WebhookResolveError(hostname, new Error('no addresses'));
    if (!allowListed) {
      for (const entry of answer) {
        const refusal = refusalOfAddress(entry.address);
        if (refusal !== null) {
          return { ok: false, reason: `${hostname} resolves to ${entry.address}, ${refusal}` };
        }
      }
    }
    return { ok: true, url, hostname, allowListed, address: answer[0] as ResolvedAddress };
  }

  private isAllowed(url: URL): boolean {
    if (this.allowedHosts.length === 0) return false;
    const host = url.hostname.replace(/\.+$/, '');
    const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
    return this.allowedHosts.some((entry) => entry.host === host && (entry.port ?? port) === port);
  }
}

/** A resolution that failed (NXDOMAIN, timeout): retried like a refused connection. */
export class WebhookResolveError extends Error {
  override readonly name = 'WebhookResolveError';
  constructor(hostname: string, cause: unknown) {
    const detail = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : cause;
    super(`could not resolve ${hostname}: ${String(detail)}`, { cause });
  }
}

/**
 * `WEBHOOK_ALLOWED_HOSTS`: comma-separated `host` or `host:port` (IPv6 as `[::1]:8080`), each written in
 * any form a URL accepts and normalised the same way, so `LOCALHOST.` and `localhost` are one entry.
 * Throws with a message naming the bad entry.
 */
export function parseAllowedHosts(value: string): AllowedHost[] {
  const entries = commaList(value);
  return entries.map((entry) => {
    const match = /^(\[[^\]]+\]|[^:/?#@[\]\s]+)(?::(\d{1,5}))?$/.exec(entry);
    if (!match) throw new Error(`"${entry}" is not a host or host:port`);
    let host: string;
    try {
      host = new URL(`http://${match[1]}`).hostname.replace(/\.+$/, '');
    } catch {
      throw new Error(`"${entry}" is not a host or host:port`);
    }
    if (host === '') throw new Error(`"${entry}" is not a host or host:port`);
    if (match[2] === undefined) return { host };
    const port = Number(match[2]);
    if (port < 1 || port > 65_535) throw new Error(`"${entry}" has a port outside 1-65535`);
    return { host, port };
  });
}

/**
 * The `WEBHOOK_ALLOWED_HOSTS` variable for an app's environment schema (wrap it in `envVar`): the
 * parsed list, empty when unset; a bad entry fails the config with the entry named.
 */
export const allowedHostsEnvSchema = z
  .string()
  .transform((value, ctx): AllowedHost[] => {
    try {
      return parseAllowedHosts(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  })
  .default([]);

function bareHost(hostname: string): string {
  const unbracketed = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return unbracketed.replace(/\.+$/, '');
}

function literalAddress(hostname: string): ResolvedAddress | undefined {
  if (isIPv4Literal(hostname)) return { address: hostname, family: 4 };
  if (isIPv6Literal(hostname)) return { address: hostname, family: 6 };
  return undefined;
}

function refusalOfName(hostname: string): string | null {
  const labels = hostname.split('.');
  const tld = labels[labels.length - 1] as (typeof INTERNAL_SUFFIXES)[number];
  if (INTERNAL_SUFFIXES.includes(tld)) return `${hostname} is an internal name (.${tld})`;
  // A single label is completed from the resolver's search domains: `redis`, `metadata`, `kubernetes`.
  if (labels.length === 1) return `${hostname} is a single-label name, which resolves inside the network`;
  return null;
}
