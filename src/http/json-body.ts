import { parseJson, SCIM_CONTENT_TYPE, ScimError } from '../scim';

const JSON_TYPES = new Set([SCIM_CONTENT_TYPE, 'application/json']);
const FORM_TYPE = 'application/x-www-form-urlencoded';
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;
/**
 * Routes that also take a form: an RFC 7662 §2.1 introspection request is application/x-www-form-urlencoded. Matched
 * as routes are, case-insensitively and with an optional trailing slash. Every other route reads JSON only.
 */
const FORM_PATHS = new Set(['/introspect']);

const acceptsForm = (path: string) => FORM_PATHS.has(path.toLowerCase().replace(/(.)\/$/, '$1'));

/**
 * Forward auth reads headers only, and a proxy may pass the original request's body along (Envoy's ext_authz with
 * with_request_body): any body, of any type, is left unread there rather than refused.
 */
export const ignoresBody = (path: string) => /^\/auth\/verify(\/|$)/i.test(path);

/** 415 for a body of another media type. */
export const unsupportedMediaType = (contentType: string | undefined, form = false) =>
  ScimError.unsupportedMediaType(
    `Send the request body as ${SCIM_CONTENT_TYPE} or application/json${form ? ` or ${FORM_TYPE}` : ''} (got ${contentType ?? 'no Content-Type'})`,
  );

function checkCharset(contentType: string | undefined, what: string): void {
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw ScimError.unsupportedMediaType(`The charset ${charset} is not supported; send UTF-8 ${what}`);
  }
}

/** A form as a plain object of its fields; a field given twice is refused (RFC 6749 §3.1: parameters MUST NOT repeat). */
function parseForm(text: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(text)) {
    if (name in fields) {
      throw ScimError.invalidSyntax(`The form field ${name} is given more than once`);
    }
    fields[name] = value;
  }
  return { ...fields };
}

/**
 * A request body as the API reads it. Bodies are JSON, as application/scim+json or application/json (RFC 7644 §3.1
 * allows both), in UTF-8; the introspection route also takes a form. Any other media type is refused with 415. An
 * empty body is no body, whatever the Content-Type (some clients send one on DELETE): a write that needs a body says so.
 */
export function parseRequestBody(path: string, contentType: string | undefined, text: string): unknown {
  if (text === '') {
    return undefined;
  }
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const form = acceptsForm(path);
  if (form && type === FORM_TYPE) {
    checkCharset(contentType, 'forms');
    return parseForm(text);
  }
  if (!JSON_TYPES.has(type)) {
    throw unsupportedMediaType(contentType, form);
  }
  checkCharset(contentType, 'JSON');
  // The core's parser also checks the shape (depth, prototype keys) and never quotes the body, which may hold a password.
  return parseJson(text);
}
