import { toApiView, type SegmentRepository } from '@t2s/service-store';
import type { Caller } from '@t2s/segment-service';

/** What the cache reads: the segment repository's two view reads. */
export type SegmentViewSource = Pick<SegmentRepository, 'getForView' | 'viewVersion'>;

/** A segment's `GET /v1/segments/{id}` body, serialized, with its ETag when the view is settled. */
export interface SegmentViewBody {
  body: Buffer;
  /** A strong ETag (`"<version>"`); null while the run goes on and the view may change at any time. */
  etag: string | null;
}

/**
 * The serialized views of finished segments, by segment id, each with the version it was read at. A
 * finished segment's view changes only with a new revision or approval, so a request for a view held
 * here costs one light query (the version, with the caller's access checked) instead of reading the
 * segment, its revisions and stage runs, and building and serializing its view again. Every replica
 * checks the version in the database, so a revision or approval made through another one is seen at
 * once. A running segment's view is read whole every time and not kept.
 */
export class SegmentViewCache {
  private readonly views = new Map<string, { version: string; body: Buffer }>();
  private bytes = 0;

  /** `maxBytes` bounds the bodies held (a view with its history and sample ids may be tens of KB). */
  constructor(
    private readonly source: SegmentViewSource,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  /** The view if the caller may see the segment, else null (the caller answers NOT_FOUND). */
  async read(caller: Caller, id: string): Promise<SegmentViewBody | null> {
    const access = { admin: caller.admin };
    const held = this.views.get(id);
    if (held) {
      const version = await this.source.viewVersion(id, caller.id, access);
      if (version === undefined) return null;
      if (version === held.version) {
        // Most recently used last: a Map iterates in insertion order, so the first key is the oldest.
        this.views.delete(id);
        this.views.set(id, held);
        return { body: held.body, etag: etagOf(version) };
      }
      this.drop(id);
    }
    const read = await this.source.getForView(id, caller.id, access);
    if (read === null) return null;
    // The body Fastify would have sent for the returned object (its default serializer is JSON.stringify).
    const body = Buffer.from(JSON.stringify(toApiView(read.segment)));
    const version = read.viewVersion;
    this.drop(id);
    if (version === null) return { body, etag: null };
    this.views.set(id, { version, body });
    this.bytes += body.length;
    // Oldest first out, never the view just read.
    for (const oldest of this.views.keys()) {
      if (this.bytes <= this.maxBytes || oldest === id) break;
      this.drop(oldest);
    }
    return { body, etag: etagOf(version) };
  }

  private drop(id: string): void {
    const held = this.views.get(id);
    if (!held) return;
    this.views.delete(id);
    this.bytes -= held.body.length;
  }
}

function etagOf(version: string): string {
  return `"${version}"`;
}

/**
 * Whether an If-None-Match header names this ETag (RFC 9110 13.1.2: weak comparison, a list or `*`).
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || opaque(tag) === etag);
}
