import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { ErrorCode } from '@buurtservice/shared';

// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, which isolated modules cannot import)
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

// ~49,000 most common passwords from leaked lists (zxcvbn-ts). Compared case-insensitively,
// so 'Welkom123' is refused as well as 'welkom123'.
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
for (const dutch of ['wachtwoord', 'wachtwoord1', 'wachtwoord123', 'welkom01', 'welkom123', 'welkom1234', 'geheim123', 'breda123', 'utrecht123', 'buurtservice']) COMMON.add(dutch);

/** Why a new password is refused, or null when it is fine. */
export function passwordProblem(password: string): ErrorCode | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'password_too_short';
  if (length > PASSWORD_MAX) return 'password_too_long';
  if (COMMON.has(password.toLowerCase())) return 'password_common';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against this when the account does not exist costs the same time as a real check,
// so response times do not tell which email addresses have an account.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hashPassword('not-a-real-password-0');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
