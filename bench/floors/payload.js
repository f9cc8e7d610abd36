// The JSON the HTTP floors return: the same shape and size as doorman's
// GET /account/mypage/ answer ({"message":"반갑습니다, <email>님!"}, with an email
// as long as the bench user's), so floor and scenario move the same bytes. The
// floors serialise it on every request, as the real server must.
export const MYPAGE_BODY = { message: '반갑습니다, mypage-00000000-0@bench.test님!' };

// JSON schema for fastify's response serializer (doorman declares schemas too).
export const MYPAGE_SCHEMA = {
  type: 'object',
  properties: { message: { type: 'string' } },
};

// Path used against floors and doorman alike, so wrk sends identical requests.
export const MYPAGE_PATH = '/account/mypage/';
