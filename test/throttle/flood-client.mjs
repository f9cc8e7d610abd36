// An attacker in its own process: `connections` keep-alive sockets from 127.0.0.1, each sending
// wrong-password logins back to back until stdin closes; prints the status counts as JSON.
import { Agent, request } from 'node:http';

const [port, connections] = process.argv.slice(2).map(Number);
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const counts = {};
let stop = false;
process.stdin.on('end', () => (stop = true));
process.stdin.resume();

function post(i) {
  const payload = JSON.stringify({ email: `victim${i % 50}@example.com`, password: `wrong ${i}` });
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/account/login/',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', () => resolve(0));
    req.end(payload);
  });
}

await Promise.all(
  Array.from({ length: connections }, async (_, i) => {
    while (!stop) {
      const status = await post(i);
      counts[status] = (counts[status] ?? 0) + 1;
    }
  }),
);
agent.destroy();
process.stdout.write(JSON.stringify(counts));
