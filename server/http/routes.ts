import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import type { StaffActor, StaffRole } from '../auth/staffActor.js';

/**
 * One route registry: each route is declared once with its zod schemas, and
 * that declaration both validates the request in express and describes the
 * route in the OpenAPI 3.1 document (server/http/openapi.ts). A route that is
 * not in the registry cannot be in the document, and the other way round.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** public: anyone; staff: any signed-in staff member; or a list of staff roles allowed. */
export type RouteAuth = 'public' | 'staff' | readonly StaffRole[];

/** A non-JSON answer (CSV, PDF). */
export class FileAnswer {
  constructor(
    readonly body: Buffer | string,
    readonly contentType: string,
    readonly filename: string,
  ) {}
}

type AnyObject = z.ZodObject<z.ZodRawShape>;

export type RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType> = {
  method: HttpMethod;
  /** Express style, relative to /api: '/cases/:caseId'. */
  path: string;
  auth: RouteAuth;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** JSON answer schema; omitted for file answers. */
  response?: R;
  /** For file answers: the media type, e.g. 'text/csv'. */
  produces?: string;
  status?: 200 | 201 | 204;
};

/** The caller of a route, as a registry's resolver makes it. */
type Caller = { staffRole: StaffRole };

export type RouteContext<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, A extends Caller = StaffActor> = {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  /** Present for every route whose auth is not 'public'. */
  actor: A;
  req: Request;
  res: Response;
};

export type RegisteredRoute = RouteSpec<AnyObject, AnyObject, z.ZodType, z.ZodType>;

export type ActorResolver<A extends Caller = StaffActor> = (req: Request) => Promise<A>;

const empty = z.object({}).strict();

/** 'x: expected string' for the first few issues; never the offending value itself (it may be a password). */
export function parseOrReject<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${[where, ...i.path].join('.')}: ${i.message}`);
    throw new CourtLinkError('INVALID_PAYLOAD', `The request was malformed (${issues.join('; ')}).`);
  }
  return parsed.data;
}

export class RouteRegistry<A extends Caller = StaffActor> {
  readonly router = Router();
  readonly routes: RegisteredRoute[] = [];

  constructor(private readonly resolveActor: ActorResolver<A>) {}

  route<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType>(
    spec: RouteSpec<P, Q, B, R>,
    handler: (ctx: RouteContext<P, Q, B, A>) => Promise<z.input<R> | FileAnswer | undefined>,
  ): void {
    this.routes.push(spec as unknown as RegisteredRoute);
    this.router[spec.method](spec.path, async (req, res) => {
      // Authenticate before parsing, so an anonymous caller learns nothing about the payload rules.
      const actor = spec.auth === 'public' ? (undefined as unknown as A) : await this.resolveActor(req);
      if (Array.isArray(spec.auth) && !spec.auth.includes(actor.staffRole)) throw new CourtLinkError('FORBIDDEN');
      const params = parseOrReject(spec.params ?? empty, req.params, 'params') as z.output<P>;
      const query = parseOrReject(spec.query ?? empty, req.query, 'query') as z.output<Q>;
      const hasBody = spec.method !== 'get' && spec.method !== 'delete';
      const body = (hasBody ? parseOrReject(spec.body ?? empty, req.body, 'body') : undefined) as z.output<B>;
      const answer = await handler({ params, query, body, actor, req, res });
      // The handler answered itself (a streamed file with Range support).
      if (res.headersSent) return;
      if (answer instanceof FileAnswer) {
        res
          .status(200)
          .type(answer.contentType)
          .set('content-disposition', `attachment; filename="${answer.filename}"`)
          .set('cache-control', 'no-store')
          .send(answer.body);
        return;
      }
      if (spec.status === 204 || answer === undefined) {
        res.status(204).end();
        return;
      }
      res.status(spec.status ?? 200).json(answer);
    });
  }
}
