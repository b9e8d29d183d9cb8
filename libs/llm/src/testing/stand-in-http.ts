import type { IncomingMessage } from 'node:http';
import { LlmCallError } from '../llm-errors';

/** The whole request body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The LlmCallError a call fails with; a call that succeeds fails the spec. */
export async function llmFailure(promise: Promise<unknown>): Promise<LlmCallError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LlmCallError);
    return error as LlmCallError;
  }
  throw new Error('expected the call to fail');
}
