/** Password hashing: PBKDF2-SHA256 through WebCrypto, with a per-user salt. */

/** Cloudflare's production runtime refuses more than 100 000 iterations (local workerd does not), so this is the cap. */
export const PBKDF2_ITERATIONS = 100_000;

const hex = (bytes: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (s: string) => new Uint8Array(s.match(/../g)!.map((h) => parseInt(h, 16)));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  if (iterations > PBKDF2_ITERATIONS)
    throw new Error(`PBKDF2 iterations above ${PBKDF2_ITERATIONS} fail in production`);
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  return hex(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256));
}

/** Hashes a new password with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<{ hash: string; salt: string; iterations: number }> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { hash: await derive(password, salt, PBKDF2_ITERATIONS), salt: hex(salt), iterations: PBKDF2_ITERATIONS };
}

/** Checks a password against a stored hash, comparing in constant time. */
export async function verifyPassword(
  password: string,
  stored: { hash: string; salt: string; iterations: number },
): Promise<boolean> {
  const candidate = new TextEncoder().encode(await derive(password, fromHex(stored.salt), stored.iterations));
  const expected = new TextEncoder().encode(stored.hash);
  return candidate.length === expected.length && crypto.subtle.timingSafeEqual(candidate, expected);
}

/**
 * What an unknown email's sign-in is checked against: a hash no password gives (it is not hex), at
 * today's iterations. Checking it costs what checking a real account's
 * costs, so the time of an answer does not tell whether an account exists.
 */
export const NO_ACCOUNT = { hash: 'x'.repeat(64), salt: '00'.repeat(16), iterations: PBKDF2_ITERATIONS };
