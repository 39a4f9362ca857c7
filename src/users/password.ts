import { randomBytes, scrypt, ScryptOptions } from 'node:crypto';

const PARAMS = { N: 16384, r: 8, p: 1 } as const;

const derive = (password: string, salt: Buffer, o: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scrypt(password.normalize('NFKC'), salt, 32, o, (e, key) => (e ? reject(e) : resolve(key))));

/**
 * SCIM `password` (writeOnly, returned never) is kept only as an scrypt hash, `scrypt$N$r$p$salt$hash`, so the
 * application can later verify a password without the server ever storing or returning it.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}
