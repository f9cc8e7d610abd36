import type { Command } from 'commander';
import { settingsEnv } from '../context.js';
import type { CliIO } from '../io.js';

export interface ServeOptions {
  host?: string;
  port?: string;
}

/** Starts the HTTP server (migrating first), as `npm start` does; --host/--port win over the settings. */
export async function serveCommand(io: CliIO, options: ServeOptions): Promise<void> {
  const env = settingsEnv(io.env);
  if (options.host !== undefined) env.DOORMAN_HOST = options.host;
  if (options.port !== undefined) env.DOORMAN_PORT = options.port;
  // Loaded here: the other commands need not pay for Fastify at start-up.
  const { serve } = await import('../../server.js');
  await serve(env);
}

export function registerServe(program: Command, io: CliIO): void {
  program
    .command('serve')
    .description('run the HTTP server (migrates the database first)')
    .option('--host <address>', 'address to listen on (default: DOORMAN_HOST or 127.0.0.1)')
    .option('--port <number>', 'port to listen on (default: DOORMAN_PORT or 8000)')
    .action((options: ServeOptions) => serveCommand(io, options));
}
