import { ParameterError } from "./errors.js";

/**
 * Run `fn` over `items` with at most `limit` calls in flight; results keep the input order.
 * A rejection of `fn` rejects the whole map (callers that must survive failures catch inside `fn`).
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ParameterError(`mapLimit: limit must be an integer >= 1, got: ${limit}`);
  }
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  const workers: Promise<void>[] = [];
  for (let w = 0; w < Math.min(limit, items.length); w++) workers.push(worker());
  await Promise.all(workers);
  return out;
}
