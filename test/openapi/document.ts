/** One route as Fastify registered it (the onRoute hook's view). */
export interface RegisteredRoute {
  method: string;
  url: string;
  hidden: boolean;
}

/**
 * Every route any Fastify instance registers in this test file, seen by an onRoute hook that
 * is added as the instance is created (so nothing the app adds can slip past). Call from a
 * `vi.mock('fastify', ...)` factory.
 */
export async function recordingFastify(
  importOriginal: () => Promise<typeof import('fastify')>,
  routes: RegisteredRoute[],
) {
  const actual = await importOriginal();
  const create = ((options?: unknown) => {
    const app = (actual.default as (o?: unknown) => import('fastify').FastifyInstance)(options);
    app.addHook('onRoute', (route) => {
      for (const method of ([] as string[]).concat(route.method)) {
        routes.push({
          method,
          url: route.url,
          hidden: Boolean((route.schema as { hide?: boolean } | undefined)?.hide),
        });
      }
    });
    return app;
  }) as unknown as typeof actual.default;
  return { ...actual, default: create, fastify: create };
}

/** A Fastify URL in OpenAPI's spelling: `/groups/:id/` → `/groups/{id}/`. */
export const openApiPath = (url: string) => url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Record<string, unknown>> };
};
export type Operation = {
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};
