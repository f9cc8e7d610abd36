/**
 * The providers doorman knows by name. Google and Kakao speak OpenID Connect (discovery from
 * their issuer, id_token validated); Naver and GitHub speak plain OAuth 2, so who the person is
 * comes from their user-info APIs.
 */
export type ProviderKind = 'oidc' | 'github' | 'naver';

export interface OAuthEndpoints {
  authorization: string;
  token: string;
  userinfo: string;
  /** GitHub only: /user/emails, which says which address is verified. */
  emails?: string;
}

export interface Preset {
  kind: ProviderKind;
  issuer?: string;
  endpoints?: OAuthEndpoints;
  scopes: string[];
}

export const PRESETS: Readonly<Record<string, Preset>> = {
  google: { kind: 'oidc', issuer: 'https://accounts.google.com', scopes: ['openid', 'email', 'profile'] },
  // Kakao's id_token carries `email` (with the account_email consent item) but no email_verified.
  kakao: { kind: 'oidc', issuer: 'https://kauth.kakao.com', scopes: ['openid', 'account_email'] },
  naver: {
    kind: 'naver',
    endpoints: {
      authorization: 'https://nid.naver.com/oauth2.0/authorize',
      token: 'https://nid.naver.com/oauth2.0/token',
      userinfo: 'https://openapi.naver.com/v1/nid/me',
    },
    scopes: [],
  },
  github: {
    kind: 'github',
    endpoints: {
      authorization: 'https://github.com/login/oauth/authorize',
      token: 'https://github.com/login/oauth/access_token',
      userinfo: 'https://api.github.com/user',
      emails: 'https://api.github.com/user/emails',
    },
    scopes: ['read:user', 'user:email'],
  },
};
