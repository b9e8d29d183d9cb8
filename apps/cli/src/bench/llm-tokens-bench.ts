/**
 * Tokens per run of the LLM strategy, from the prompts it actually builds for every eval case (no
 * model: a backend that counts the prompt it is given and answers nothing), counted with a real
 * tokenizer (o200k_base), against the run budget of 200,000.
 *
 *   WAREHOUSE_URL=postgres://.../t2s_eval npm run bench:llm-tokens
 */
import { Pool } from 'pg';
import { createBaselineStrategy } from '@t2s/baseline';
import { countTokens, createCatalogCache, TOKENIZER_NAME } from '@t2s/catalog';
import { openWarehouse } from '@t2s/db';
import { loadCases, median } from '@t2s/evaluation';
import { BaseLlmBackend, createLlmStrategy, DEFAULT_RUN_BUDGET, type LlmRequest } from '@t2s/llm';
import { progress } from '../command-runner';

const ANSWER_TOKENS = 2_048;

async function main(): Promise<void> {
  const cases = loadCases('eval/cases');
  const schemas = [...new Set(cases.map((c) => c.warehouse))];
  const warehouse = await openWarehouse({ onProgress: progress });
  const pool = new Pool({ connectionString: warehouse.url, max: 1 });
  try {
    const catalogs = createCatalogCache({ pool, schemas, onWarning: progress });
    let prompt = 0;
    let schema = 0;
    class Counting extends BaseLlmBackend {
      readonly name = 'counting';
      readonly model = 'none';
      async complete(request: LlmRequest) {
        prompt = (await countTokens(request.system)).tokens + (await countTokens(request.user)).tokens;
        schema = (await countTokens(JSON.stringify(request.jsonSchema))).tokens;
        return {
          raw: '{"criteria":[]}',
          usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0 },
          model: 'none',
        };
      }
    }
    const counting = new Counting();
    const strategy = createLlmStrategy({
      backend: counting,
      baseline: createBaselineStrategy(),
    });
    const rows: { warehouse: string; prompt: number; schema: number }[] = [];
    for (const c of cases) {
      prompt = 0;
      await strategy.criteria
        .generate({
          offer: c.offer,
          catalog: await catalogs(c.warehouse),
          ...(c.criteria === undefined ? {} : { criteriaText: c.criteria }),
        })
        .catch(() => undefined); // the counting backend answers no criteria
      rows.push({ warehouse: c.warehouse, prompt, schema });
    }
    console.log(
      `tokens by ${TOKENIZER_NAME}; a run is one criteria call, or two with the repair round; linking and SQL compile`,
    );
    console.log(
      '| warehouse | cases | prompt, median | prompt, max | JSON schema (sent as functions to GigaChat) | worst run: 2 calls + schema + answers | share of the 200k budget |',
    );
    console.log('|---|---|---|---|---|---|---|');
    for (const name of schemas) {
      const mine = rows.filter((r) => r.warehouse === name);
      const max = Math.max(...mine.map((r) => r.prompt));
      const worst = 2 * (max + (mine[0]?.schema ?? 0) + ANSWER_TOKENS);
      console.log(
        `| ${name} | ${mine.length} | ${median(mine.map((r) => r.prompt))} | ${max} | ${mine[0]?.schema ?? 0} | ${worst} | ${((worst / DEFAULT_RUN_BUDGET) * 100).toFixed(1)}% |`,
      );
    }
  } finally {
    await pool.end();
    await warehouse.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
