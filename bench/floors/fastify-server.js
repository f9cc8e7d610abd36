// Floor server: Fastify 5 with a response schema and no plugins, i.e. the
// framework's own cost before doorman adds auth, DB and logging.
import Fastify from 'fastify';
import { MYPAGE_BODY, MYPAGE_SCHEMA, MYPAGE_PATH } from './payload.js';

const app = Fastify({ logger: false, keepAliveTimeout: 72_000 });
app.get(MYPAGE_PATH, { schema: { response: { 200: MYPAGE_SCHEMA } } }, async () => MYPAGE_BODY);
await app.listen({ port: Number(process.env.PORT), host: process.env.HOST });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
