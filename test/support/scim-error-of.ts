import { ScimError } from '../../src/scim/errors';

/** Runs `fn` and returns the ScimError it throws (fails the test if it throws something else or nothing). */
export function scimErrorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected a ScimError');
}
