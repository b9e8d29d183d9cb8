/** A criterion that names something the warehouse or the semantic model does not have (R4). */
export class CompileError extends Error {
  override readonly name = 'CompileError';
}
