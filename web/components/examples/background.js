// Engine work that can take longer than a frame (#example=quadratic-cost, the why-scale
// experiment at its larger settings), written once as a generator of engine calls: each
// `yield [method, args]` gets the call's result back (or has its error thrown in). runSync runs it
// on the synchronous engine (no page: Node, the tests); runAsync in the page's worker pool, so
// that the page never freezes. Loaded with the examples that need it, not with every page.

/** Runs `gen` on the synchronous engine; returns what it returns. */
export function runSync(attn, gen) {
  let step = gen.next();
  while (!step.done) {
    let value, error;
    try {
      value = attn[step.value[0]](...step.value[1]);
    } catch (e) {
      error = e;
    }
    step = error ? gen.throw(error) : gen.next(value);
  }
  return step.value;
}

/** Runs `gen` in the pool (its methods are the engine's, async); resolves with what it returns. */
export async function runAsync(pool, gen) {
  let step = gen.next();
  while (!step.done) {
    let value, error;
    try {
      value = await pool[step.value[0]](...step.value[1]);
    } catch (e) {
      error = e;
    }
    step = error ? gen.throw(error) : gen.next(value);
  }
  return step.value;
}
