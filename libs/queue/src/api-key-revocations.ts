import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { RedisConnection } from './redis-connection';

/**
 * Redis pub/sub channel on which a revoked API key's id is announced, under the deployment's queue
 * prefix (`{t2s}:api-keys:revoked`): a gateway hears only its own deployment, and tests with their own
 * prefix hear only themselves. Gateways confirm on the `:ack` channel.
 */
export function apiKeyRevokedChannel(prefix: string): string {
  return `${prefix}:api-keys:revoked`;
}

function ackChannel(prefix: string): string {
  return `${apiKeyRevokedChannel(prefix)}:ack`;
}

interface RevocationNotice {
  keyId: string;
  /** Matches a gateway's confirmation to this announcement. */
  nonce: string;
}

export interface RevocationAnnouncement {
  /** Subscribers that received the notice: the gateways listening (on a cluster, those on one node). */
  listeners: number;
  /** How many of them confirmed, within the timeout, that the key is gone from their cache. */
  confirmed: number;
}

export interface AnnounceOptions {
  /** Publishes the notice. */
  publisher: RedisConnection;
  /** Hears the confirmations: another connection, since a subscribed one cannot publish. */
  subscriber: RedisConnection;
  prefix: string;
  keyId: string;
  timeoutMs?: number;
}

/**
 * Announces a revoked key (after the revocation is committed in the database) and waits until every
 * gateway that received the notice confirms it dropped the key from its cache, or `timeoutMs` passes:
 * once this resolves with `confirmed === listeners`, the next request with the key fails everywhere.
 */
export async function announceApiKeyRevocation(options: AnnounceOptions): Promise<RevocationAnnouncement> {
  const { publisher, subscriber, prefix, keyId } = options;
  const nonce = randomUUID();
  const acks = ackChannel(prefix);
  let confirmed = 0;
  let onConfirmed = (): void => undefined;
  const listener = (channel: string, message: string): void => {
    if (channel !== acks || parseAck(message) !== nonce) return;
    confirmed++;
    onConfirmed();
  };
  subscriber.on('message', listener);
  let timer: NodeJS.Timeout | undefined;
  try {
    await subscriber.subscribe(acks);
    const notice: RevocationNotice = { keyId, nonce };
    const listeners = await publisher.publish(apiKeyRevokedChannel(prefix), JSON.stringify(notice));
    await new Promise<void>((resolve) => {
      onConfirmed = () => confirmed >= listeners && resolve();
      onConfirmed();
      timer = setTimeout(resolve, options.timeoutMs ?? 3_000);
    });
    return { listeners, confirmed };
  } finally {
    clearTimeout(timer);
    subscriber.off('message', listener);
    await subscriber.unsubscribe(acks).catch(() => undefined);
  }
}

export interface RevocationListenerOptions {
  /**
   * A connection of its own (subscribed connections run no other commands), created with
   * `autoResubscribe: false`: the listener subscribes itself on every 'ready', so it knows when the
   * subscription is really back.
   */
  subscriber: RedisConnection;
  /** Sends the confirmations. */
  publisher: RedisConnection;
  prefix: string;
  /** Drop this key now. */
  onRevoked(keyId: string): void;
  /**
   * The subscription is (again) in place. Notices published while it was down were lost: drop
   * everything learnt before, so a key revoked meanwhile is read from the database again.
   */
  onSubscribed(): void;
}

/**
 * A gateway's side: hears revocations and confirms each. Emits 'subscribed' and 'down' (once per
 * outage) for logs; while it is down, revoked keys are dropped only when their cache entry expires.
 */
export class ApiKeyRevocationListener extends EventEmitter {
  private listening = false;
  private stopped = false;
  private readonly channel: string;

  constructor(private readonly options: RevocationListenerOptions) {
    super();
    this.channel = apiKeyRevokedChannel(options.prefix);
  }

  get isListening(): boolean {
    return this.listening;
  }

  start(): void {
    const { subscriber } = this.options;
    subscriber.on('message', this.onMessage);
    subscriber.on('ready', this.subscribe);
    subscriber.on('close', this.onClose);
    if (subscriber.status === 'ready') void this.subscribe();
  }

  stop(): void {
    this.stopped = true;
    const { subscriber } = this.options;
    subscriber.off('message', this.onMessage);
    subscriber.off('ready', this.subscribe);
    subscriber.off('close', this.onClose);
  }

  private readonly subscribe = async (): Promise<void> => {
    try {
      await this.options.subscriber.subscribe(this.channel);
    } catch (error) {
      // The connection went away again; its next 'ready' tries again.
      this.emit('subscribe-failed', error);
      return;
    }
    if (this.stopped) return;
    this.listening = true;
    this.options.onSubscribed();
    this.emit('subscribed');
  };

  private readonly onClose = (): void => {
    if (!this.listening) return;
    this.listening = false;
    this.emit('down');
  };

  private readonly onMessage = (channel: string, message: string): void => {
    if (channel !== this.channel) return;
    const notice = parseNotice(message);
    if (!notice) return;
    this.options.onRevoked(notice.keyId);
    this.emit('revoked', notice.keyId);
    void this.options.publisher
      .publish(ackChannel(this.options.prefix), JSON.stringify({ nonce: notice.nonce }))
      .catch(() => undefined);
  };
}

function parseNotice(message: string): RevocationNotice | undefined {
  try {
    const value = JSON.parse(message) as Partial<RevocationNotice>;
    return typeof value.keyId === 'string' && typeof value.nonce === 'string'
      ? { keyId: value.keyId, nonce: value.nonce }
      : undefined;
  } catch {
    return undefined;
  }
}

function parseAck(message: string): string | undefined {
  try {
    const value = JSON.parse(message) as { nonce?: unknown };
    return typeof value.nonce === 'string' ? value.nonce : undefined;
  } catch {
    return undefined;
  }
}
