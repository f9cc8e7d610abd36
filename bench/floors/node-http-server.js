// Floor server: the least any Node HTTP server must do to answer with JSON.
import { createServer } from 'node:http';
import { MYPAGE_BODY } from './payload.js';

const server = createServer((req, res) => {
  const body = JSON.stringify(MYPAGE_BODY);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
// Match Node's defaults except keep-alive, which wrk relies on; doorman (Fastify)
// keeps connections alive as well.
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), process.env.HOST);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
