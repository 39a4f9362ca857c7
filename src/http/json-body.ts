import { parseJson, SCIM_CONTENT_TYPE, ScimError } from '../scim';

const JSON_TYPES = new Set([SCIM_CONTENT_TYPE, 'application/json']);
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/** 415 for a body of another media type. */
export const unsupportedMediaType = (contentType: string | undefined) =>
  ScimError.unsupportedMediaType(
    `Send the request body as ${SCIM_CONTENT_TYPE} or application/json (got ${contentType ?? 'no Content-Type'})`,
  );

/**
 * A request body as the API reads it. Bodies are JSON, as application/scim+json or application/json (RFC 7644 §3.1
 * allows both), in UTF-8; any other media type is refused with 415. An empty body is no body, whatever the
 * Content-Type (some clients send one on DELETE): a write that needs a body says so.
 */
export function parseJsonBody(contentType: string | undefined, text: string): unknown {
  if (text === '') {
    return undefined;
  }
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!JSON_TYPES.has(type)) {
    throw unsupportedMediaType(contentType);
  }
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw ScimError.unsupportedMediaType(`The charset ${charset} is not supported; send UTF-8 JSON`);
  }
  // The core's parser also checks the shape (depth, prototype keys) and never quotes the body, which may hold a password.
  return parseJson(text);
}
