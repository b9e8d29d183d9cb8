import ipaddr from 'ipaddr.js';

/**
 * Why a webhook may not be sent to `address` (an IP address in the canonical text DNS answers and the
 * WHATWG URL parser give), or null when it is an ordinary public unicast address.
 *
 * Allow-list, not deny-list: IPv4 must be in no special range of ipaddr.js (RFC 6890 and friends), IPv6
 * must be global unicast (2000::/3) outside the IETF, documentation and transition blocks. Transition
 * forms that carry an IPv4 address are judged by the address they carry, or refused outright where a
 * public receiver never uses them: IPv4-mapped (::ffff:0:0/96, a dual-stack socket connects to the IPv4
 * address), IPv4-compatible (::/96), SIIT (::ffff:0:0:0/96) and NAT64 (64:ff9b::/96, 64:ff9b:1::/48:
 * the local NAT64 gateway would connect to the embedded IPv4 address, private ones included). 6to4 and
 * Teredo are refused when an embedded IPv4 address is. A zone id (`fe80::1%eth0`) means a scoped address.
 */
export function refusalOfAddress(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // parse(), not process(): an IPv4-mapped IPv6 address must stay IPv6 so it is named as such.
    parsed = ipaddr.parse(address);
  } catch {
    return 'not an IP address';
  }
  return parsed.kind() === 'ipv4'
    ? refusalOfIPv4(parsed as ipaddr.IPv4)
    : refusalOfIPv6(parsed as ipaddr.IPv6);
}

/** Only canonical dotted quads: DNS answers and WHATWG-normalised hosts never take another form. */
export function isIPv4Literal(host: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(host);
}

export function isIPv6Literal(host: string): boolean {
  return ipaddr.IPv6.isValid(host);
}

const IPV4_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address (0.0.0.0/8)',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (169.254.0.0/16, cloud metadata)',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address (100.64.0.0/10)',
  private: 'a private address (RFC 1918)',
  reserved: 'a reserved or documentation address',
  as112: 'an AS112 address',
  amt: 'an AMT relay address',
};

const IPV6_WORDS: Record<string, string> = {
  unspecified: 'the unspecified address (::)',
  linkLocal: 'a link-local address (fe80::/10)',
  multicast: 'a multicast address',
  loopback: 'the loopback address (::1)',
  uniqueLocal: 'a unique-local address (fc00::/7)',
  ipv4Mapped: 'an IPv4-mapped address (::ffff:0:0/96)',
  rfc6145: 'an IPv4-translated address (::ffff:0:0:0/96)',
  rfc6052: 'a NAT64 address (64:ff9b::/96, 64:ff9b:1::/48)',
  deprecatedSiteLocal: 'a site-local address (fec0::/10)',
  discard: 'a discard-only address (100::/64)',
  benchmarking: 'a benchmarking address',
  amt: 'an AMT address',
  as112v6: 'an AS112 address',
  deprecatedOrchid: 'an ORCHID address',
  orchid2: 'an ORCHID address',
  droneRemoteIdProtocolEntityTags: 'a DRIP entity tag',
  segmentRouting: 'a segment-routing SID (5f00::/16)',
  reserved: 'a reserved or documentation address',
};

function refusalOfIPv4(ip: ipaddr.IPv4): string | null {
  const range = ip.range();
  if (range === 'unicast') return null;
  return IPV4_WORDS[range] ?? `a special-purpose address (${range})`;
}

function refusalOfIPv6(ip: ipaddr.IPv6): string | null {
  if (ip.zoneId !== undefined) return 'a scoped address (zone id)';
  const range = ip.range();
  if (range === '6to4') {
    // 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
    return embedded('6to4', [v4FromWords(ip.parts[1], ip.parts[2])]);
  }
  if (range === 'teredo') {
    // 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC: the server's address, then the client's, inverted.
    const client = v4FromWords(~ip.parts[6]! & 0xffff, ~ip.parts[7]! & 0xffff);
    return embedded('Teredo', [v4FromWords(ip.parts[2], ip.parts[3]), client]);
  }
  if (range !== 'unicast') return IPV6_WORDS[range] ?? `a special-purpose address (${range})`;
  const [first = 0] = ip.parts;
  if (ip.parts.slice(0, 6).every((part) => part === 0)) return 'an IPv4-compatible address (::/96)';
  // Outside 2000::/3 nothing is assigned for unicast use (::/8, 100::/8, 4000::/2 ...).
  if ((first & 0xe000) !== 0x2000) return 'a reserved address (outside 2000::/3)';
  return null;
}

function v4FromWords(high = 0, low = 0): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function embedded(form: string, addresses: ipaddr.IPv4[]): string | null {
  for (const v4 of addresses) {
    const refusal = refusalOfIPv4(v4);
    if (refusal !== null) return `a ${form} address carrying ${v4.toString()}, ${refusal}`;
  }
  return null;
}
