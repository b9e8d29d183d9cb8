import { Client, type ClientBase } from 'pg';
import { openWarehouse } from '@t2s/db';
import { grantExecutor } from '../executor-grant';
import { plainName, progress, UsageError } from '../command-runner';

/** One real data set loaded as a warehouse schema (`t2s warehouse load-berka`, `load-bank-marketing`). */
export interface DatasetLoad<R> {
  schema: string;
  executorRole: string;
  datasetDir: string;
  /** The environment variable that names the data set's directory, for the usage error. */
  envVar: string;
  /** Checks the files before the warehouse starts; throws a data set error for a wrong path. */
  check: (datasetDir: string) => Promise<void>;
  isDatasetError: (error: unknown) => boolean;
  load: (
    client: ClientBase,
    options: { schema: string; datasetDir: string; onProgress: (message: string) => void },
  ) => Promise<R>;
  /** What stdout gets once the schema is loaded and the executor role may read it. */
  summary: (schema: string, result: R) => string;
}

/** Checks the data set, loads it into the warehouse, grants the executor role, prints the summary. */
export async function runDatasetLoad<R>(options: DatasetLoad<R>): Promise<void> {
  const schema = plainName('--schema', options.schema);
  const role = plainName('--executor-role', options.executorRole);
  const { datasetDir } = options;
  // Checked before the warehouse starts: a wrong path is the caller's mistake, not a load failure.
  await options.check(datasetDir).catch((error: unknown) => {
    if (options.isDatasetError(error) && error instanceof Error)
      throw new UsageError(`${error.message} (set --dataset or ${options.envVar})`);
    throw error;
  });

  const target = await openWarehouse({ onProgress: progress });
  try {
    const client = new Client({ connectionString: target.url });
    await client.connect();
    try {
      progress(`loading ${datasetDir} into schema ${schema} of ${target.label}`);
      const result = await options.load(client, { schema, datasetDir, onProgress: progress });
      await grantExecutor(client, role, schema);
      progress(`role ${role} can read schema ${schema}`);
      process.stdout.write(options.summary(schema, result));
    } finally {
      await client.end();
    }
  } finally {
    await target.close();
  }
}
