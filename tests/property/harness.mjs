// Runs fast-check properties with a fixed seed, reports how many cases were tried (a TAP diagnostic
// "# cases NAME: N", summed by scripts/test.mjs), and says how to replay a failure.
//
//   FC_SEED=123 npm test -- property          another seed (FC_SEED=random for a fresh one)
//   FC_RUNS=10 npm test -- property           ten times as many cases
//   FC_SEED=.. FC_RUNS=.. FC_PROPERTY=.. FC_PATH=.. npm test -- property
//                                             replay exactly the failing case of one property (the
//                                             line is printed on failure; the other properties run
//                                             as usual)
import fc from 'fast-check';

const DEFAULT_SEED = 20240607;
const SEED =
  process.env.FC_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FC_SEED ?? DEFAULT_SEED);
const PATH = process.env.FC_PATH;
const PROPERTY = process.env.FC_PROPERTY;
if (PATH && !PROPERTY) throw new Error('FC_PATH needs FC_PROPERTY: the name of the property to replay');
const SCALE = Number(process.env.FC_RUNS ?? 1);
if (!Number.isInteger(SEED)) throw new Error(`FC_SEED must be an integer or 'random', got ${process.env.FC_SEED}`);
if (!(SCALE > 0)) throw new Error(`FC_RUNS must be a positive number, got ${process.env.FC_RUNS}`);

/**
 * Checks `predicate` (which throws on failure) on `numRuns` cases of `arbitrary`.
 * @param {import('node:test').TestContext} t
 */
export function check(t, name, arbitrary, predicate, { numRuns }) {
  const runs = Math.max(1, Math.round(numRuns * SCALE));
  const params = { seed: SEED, numRuns: runs };
  if (replaying(name)) Object.assign(params, { path: PATH, endOnFailure: true });
  const details = fc.check(
    fc.property(arbitrary, (c) => {
      predicate(c);
    }),
    params,
  );
  t.diagnostic(`cases ${name}: ${details.numRuns}`);
  if (details.failed) {
    const replay =
      `replay: FC_SEED=${details.seed} FC_RUNS=${SCALE} FC_PROPERTY=${name} ` +
      `FC_PATH=${details.counterexamplePath} npm test -- property`;
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${name}: ${cause}\n${fc.defaultReportMessage(details)}\n${replay}`);
  }
  return details.numRuns;
}

/** Whether this run replays one case of the property `name` (FC_PROPERTY, FC_PATH). */
export function replaying(name) {
  return Boolean(PATH) && PROPERTY === name;
}
