export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

/** A user as doorman stores it. `password` is a PHC hash, or null for users with no password (social sign-in, unusable password). */
export interface User {
  id: number;
  email: string;
  password: string | null;
  firstName: string;
  lastName: string;
  gender: Gender | null;
  /** YYYY-MM-DD */
  dateOfBirth: string | null;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  dateJoined: Date;
  lastLogin: Date | null;
  /** Bumped by every password change (UserStore.changeCredentials); sessions carry the value they were opened with. */
  credentialsEpoch: number;
  /** The address was proven by a verification link (allauth's EmailAddress.verified). */
  emailVerified: boolean;
}

export interface NewUser {
  /** An explicit id (an import keeping Django's primary key); the store assigns one when absent. */
  id?: number;
  email: string;
  password: string | null;
  firstName?: string;
  lastName?: string;
  gender?: Gender | null;
  dateOfBirth?: string | null;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  /** Now when absent. */
  dateJoined?: Date;
  lastLogin?: Date | null;
  /** Default false: a new address is unproven until its link is followed. */
  emailVerified?: boolean;
}

/** The profile fields a user may change about themselves. */
export interface ProfilePatch {
  firstName?: string;
  lastName?: string;
  gender?: Gender | null;
  dateOfBirth?: string | null;
}

export interface UserPatch extends ProfilePatch {
  password?: string | null;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  lastLogin?: Date | null;
  dateJoined?: Date;
  emailVerified?: boolean;
}

/** The public view of a user: dj-rest-auth's UserDetailsSerializer plus the seed's fields; never the hash. */
export interface PublicUser {
  pk: number;
  email: string;
  first_name: string;
  last_name: string;
  gender: Gender | null;
  date_of_birth: string | null;
}

export function toPublicUser(user: User): PublicUser {
  return {
    pk: user.id,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    gender: user.gender,
    date_of_birth: user.dateOfBirth,
  };
}
