import { z } from 'zod';
import { errorCodes } from '../../signaling/index.js';
import type { RegisteredRoute } from './routes.js';

/**
 * The OpenAPI 3.1 document, generated from the route registry. OpenAPI 3.1
 * uses JSON Schema 2020-12, which is what zod 4's toJSONSchema writes, so the
 * schemas go in as they are (minus the $schema marker).
 */

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** '/cases/:caseId' → '/cases/{caseId}' */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(route: RegisteredRoute): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      list.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  return list;
}

const errorBody: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: errorCodes }, message: { type: 'string' } },
    },
  },
};

function operation(route: RegisteredRoute): JsonSchema {
  const status = String(route.status ?? 200);
  const success: JsonSchema =
    route.status === 204
      ? { description: 'Done' }
      : route.produces
        ? { description: 'A file', content: { [route.produces]: { schema: { type: 'string' } } } }
        : { description: 'OK', content: { 'application/json': { schema: route.response ? schemaOf(route.response, 'output') : {} } } };
  const op: JsonSchema = {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method}${openApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    parameters: parameters(route),
    responses: {
      [status]: success,
      default: { description: 'An error from the catalogue', content: { 'application/json': { schema: errorBody } } },
    },
  };
  if (route.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } };
  if (route.auth === 'public') op.security = [];
  return op;
}

export function openApiDocument(routes: readonly RegisteredRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = `/api${openApiPath(route.path)}`;
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'CourtLink back office API', version },
    components: {
      securitySchemes: {
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'courtlink_session' },
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
    security: [{ cookieAuth: [] }, { bearerAuth: [] }],
    paths,
  };
}
