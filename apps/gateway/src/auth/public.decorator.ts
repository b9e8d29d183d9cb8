import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 't2s:public';

/** Opts a route out of the API key (probes, metrics, docs): everything else is authenticated by default. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
