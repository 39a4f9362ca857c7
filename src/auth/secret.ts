import { createHash, randomBytes } from 'node:crypto';

/** SHA-256 of a secret: how tokens and keys are stored and looked up; the secret itself is never kept. */
export const sha256 = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/** A new secret: the prefix that says what it is, then 32 random bytes in base64url (43 characters). */
export const newSecret = (prefix: string): string => prefix + randomBytes(32).toString('base64url');
