import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { AppError, STAGES, type Stage } from '@t2s/contracts';
import {
  DEFAULT_STAGE_JOB_OPTIONS,
  enqueueSegment,
  LLM_QUEUE,
  queuePrefix,
  type RedisConnection,
  type StageQueues,
} from '@t2s/queue';
import { queueTelemetry } from '@t2s/telemetry';
import { DEFAULT_WEBHOOK_JOB_OPTIONS, WEBHOOK_QUEUE_NAME } from '@t2s/webhooks';
import type { Queue } from 'bullmq';

/** Every queue the gateway produces to (the stages) or shows (board, metrics): the service's five and the LLM calls. */
export const GATEWAY_QUEUE_NAMES = [...STAGES, WEBHOOK_QUEUE_NAME, LLM_QUEUE] as const;

const QUEUES_BOUND = Symbol('QUEUES_BOUND');

/**
 * The gateway's queues as the rest of it uses them, filled in by GatewayQueuesModule once Nest has
 * made them: runs are started on the stage queues (`@t2s/queue`'s `enqueueSegment`, the same job
 * catalogue the workers and the CLI use), and `all` feeds bull-board and the queue metrics.
 */
export class GatewayQueues {
  /** Every queue, in GATEWAY_QUEUE_NAMES order; empty until the module is created. */
  readonly all: Queue[] = [];
  private stages: StageQueues | undefined;

  bind(queues: readonly Queue[]): void {
    this.all.splice(0, this.all.length, ...queues);
    this.stages = Object.fromEntries(STAGES.map((stage, i) => [stage, queues[i]])) as Record<Stage, Queue>;
  }

  startRun(run: Parameters<typeof enqueueSegment>[1]): ReturnType<typeof enqueueSegment> {
    if (!this.stages) throw new AppError('INTERNAL', 'The gateway started a run before its queues were made');
    return enqueueSegment(this.stages, run);
  }
}

export interface GatewayQueuesOptions {
  /** The gateway's Redis connection, shared by every queue (Nest closes the queues, the caller the connection). */
  connection: RedisConnection;
  /** QUEUE_PREFIX: the workers' hash-tagged prefix. */
  prefix?: string;
  queues: GatewayQueues;
}

/**
 * The queues registered with @nestjs/bullmq, Nest's convention for BullMQ: one connection and prefix
 * for all (`BullModule.forRoot`), each queue made, injected and closed on shutdown by Nest, with the
 * same job options as `@t2s/queue` and `@t2s/webhooks` give the workers' queues, and BullMQ's
 * telemetry when tracing is on (a job carries its request's trace).
 */
@Module({})
export class GatewayQueuesModule {
  static forRoot(options: GatewayQueuesOptions): DynamicModule {
    const telemetry = queueTelemetry();
    return {
      module: GatewayQueuesModule,
      imports: [
        BullModule.forRoot({
          connection: options.connection,
          prefix: queuePrefix(options.prefix),
          ...(telemetry ? { telemetry } : {}),
        }),
        BullModule.registerQueue(
          ...STAGES.map((name) => ({ name, defaultJobOptions: DEFAULT_STAGE_JOB_OPTIONS })),
          { name: WEBHOOK_QUEUE_NAME, defaultJobOptions: DEFAULT_WEBHOOK_JOB_OPTIONS },
          { name: LLM_QUEUE },
        ),
      ],
      providers: [
        {
          provide: QUEUES_BOUND,
          inject: GATEWAY_QUEUE_NAMES.map((name) => getQueueToken(name)),
          useFactory: (...queues: Queue[]) => options.queues.bind(queues),
        },
      ],
    };
  }
}
