import { httpFloor } from './http-floor.js';

export default httpFloor('fastify', './fastify-server.js', 'bare Fastify 5 route returning the mypage JSON');
