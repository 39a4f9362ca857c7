/*
 * Caps that keep every request's work bounded, so that no request can freeze the process for the others. Each one is
 * far above what identity providers send; a request over a cap fails as a whole, before anything is written.
 */

/** Nesting of a JSON body (the body itself is level 1). SCIM needs about 8; the rest is free-form team metadata. */
export const MAX_JSON_DEPTH = 64;
