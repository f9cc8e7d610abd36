/**
 * Django's Argon2PasswordHasher: `argon2` followed by the PHC string argon2-cffi wrote,
 * `argon2$argon2id$v=19$m=102400,t=2,p=8$<salt>$<hash>` (argon2i before Django 3.2). The PHC
 * part is what @node-rs/argon2 verifies; it reads the variant and parameters from it.
 */
const DJANGO_ARGON2 =
  /^argon2(\$argon2(?:id|i)\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+)$/;

/** 1 GiB: far above Django's 100 MiB default; larger is refused rather than allocated. */
const MAX_MEMORY_KIB = 1 << 20;

export interface DjangoArgon2Hash {
  phc: string;
  memoryCost: number;
}

export function parseDjangoArgon2(encoded: string): DjangoArgon2Hash | null {
  const match = DJANGO_ARGON2.exec(encoded);
  if (!match) return null;
  const memoryCost = Number(match[2]);
  if (memoryCost > MAX_MEMORY_KIB || Number(match[3]) < 1 || Number(match[4]) < 1) return null;
  return { phc: match[1]!, memoryCost };
}
