// The JSON the HTTP floors return: shaped like doorman's GET /account/mypage/
// user object (dj-rest-auth UserDetailsSerializer), so floor and scenario move
// a comparable number of bytes. The floors serialise it on every request, as
// the real server must.
export const USER = { pk: 1, email: 'bench-user@example.com', first_name: '', last_name: '' };

// JSON schema for fastify's response serializer (doorman declares schemas too).
export const USER_SCHEMA = {
  type: 'object',
  properties: {
    pk: { type: 'integer' },
    email: { type: 'string' },
    first_name: { type: 'string' },
    last_name: { type: 'string' },
  },
};

// Path used against floors and doorman alike, so wrk sends identical requests.
export const MYPAGE_PATH = '/account/mypage/';
