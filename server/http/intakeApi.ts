import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import type { AppointmentBook } from '../appointments/AppointmentBook.js';
import { decideOnce, workOrderLine } from '../intake/intakeLedger.js';
import { NewWorkOrder, WorkOrder, type WorkOrders } from '../intake/WorkOrders.js';
import type { RecordAccess } from '../records/access.js';
import type { CaseStore } from '../records/CaseStore.js';
import type { LedgerStore } from '../records/LedgerStore.js';
import { maskName, maskPhone } from '../records/masking.js';
import { NewCase, RecordId } from '../records/schemas.js';
import type { RouteRegistry } from './routes.js';

/** A work order is a few lines of text; anything bigger is refused before it is read further. */
export const maxWorkOrderBytes = 8 * 1024;
const staffWhoResolve = ['admin', 'mediator', 'court_staff', 'lawyer'] as const;

const Resolve = z.discriminatedUnion('as', [
  z.object({ as: z.literal('case'), case: NewCase }).strict(),
  z.object({ as: z.literal('booking'), slotId: RecordId }).strict(),
  z.object({ as: z.literal('answer'), answer: z.string().trim().min(1).max(2000) }).strict(),
]);
const Step = z.object({ at: z.string(), by: z.string(), action: z.string(), detail: z.string() });

export type IntakeApiDeps = { orders: WorkOrders; cases: CaseStore; access: RecordAccess; book: AppointmentBook; ledger: LedgerStore };

const masked = (o: WorkOrder): WorkOrder => ({ ...o, caller: { name: maskName(o.caller.name), phone: maskPhone(o.caller.phone) } });

/** 12348 work orders (issue 12): the hotline posts them with an organisation API key; staff turn each into a case, a booking or an answer. */
export function registerIntakeApi(registry: RouteRegistry, deps: IntakeApiDeps): void {
  const { orders, cases, access, book, ledger } = deps;

  // Before the route: the key and the size are checked first, so a caller without a key learns nothing about the payload.
  // Middleware, not a route: the OpenAPI document lists each route once, from the registry.
  registry.router.use('/intake/work-orders', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== '/') return next();
    const length = Number(req.get('content-length') ?? 0);
    if (length > maxWorkOrderBytes)
      return next(new CourtLinkError('PAYLOAD_TOO_LARGE', `A work order may be at most ${maxWorkOrderBytes} bytes.`));
    orders
      .orgOfKey(req.get('x-api-key'))
      .then((orgId) => {
        res.locals.intakeOrgId = orgId;
        next();
      })
      .catch(next);
  });

  registry.route(
    {
      method: 'post',
      path: '/intake/work-orders',
      auth: 'public',
      tag: 'intake',
      summary: 'A 12348 work order, authenticated by the organisation’s X-Api-Key (at most 8 KiB); a resent ticket number is one order',
      body: NewWorkOrder,
      response: z.object({ id: z.string(), created: z.boolean() }),
      status: 201,
    },
    async ({ body, res }) => {
      const { order, created } = await orders.receive(String(res.locals.intakeOrgId), body);
      return { id: order.id, created };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/intake/keys',
      auth: ['admin'],
      tag: 'intake',
      summary: 'A new intake API key for the caller’s organisation (shown once; stored hashed)',
      response: z.object({ apiKey: z.string() }),
      status: 201,
    },
    async ({ actor }) => ({ apiKey: await orders.createApiKey(actor.orgId) }),
  );

  registry.route(
    {
      method: 'get',
      path: '/intake/work-orders',
      auth: 'staff',
      tag: 'intake',
      summary: 'Work orders of the caller’s organisations, callers masked',
      response: z.object({ orders: z.array(WorkOrder) }),
    },
    async ({ actor }) => ({ orders: (await orders.list(await access.visibleOrgs(actor))).map(masked) }),
  );

  const requireOrder = async (actor: Parameters<RecordAccess['visibleOrgs']>[0], id: string) => {
    const order = await orders.get(id);
    if (!order || !(await access.visibleOrgs(actor)).has(order.orgId)) throw new CourtLinkError('NOT_FOUND', 'No such work order.');
    return order;
  };

  registry.route(
    {
      method: 'get',
      path: '/intake/work-orders/:id/steps',
      auth: 'staff',
      tag: 'intake',
      summary: 'The audited steps of one work order',
      params: z.object({ id: RecordId }).strict(),
      response: z.object({ steps: z.array(Step) }),
    },
    async ({ actor, params }) => {
      await requireOrder(actor, params.id);
      return { steps: await orders.steps(params.id) };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/intake/work-orders/:id/resolve',
      auth: staffWhoResolve,
      tag: 'intake',
      summary: 'Turn a new work order into a mediation case, a consultation booking, or a closed answer (each step audited)',
      params: z.object({ id: RecordId }).strict(),
      body: Resolve,
      response: z.object({ order: WorkOrder }),
    },
    async ({ actor, params, body }) => {
      const order = await requireOrder(actor, params.id);
      const resolved = await decideOnce(
        ledger,
        {
          current: order,
          decided: order.status !== 'new',
          lineOf: workOrderLine,
          claim: () => orders.claim(order.id),
          release: () => orders.release(order.id),
          refusal: 'This work order has already been handled.',
        },
        () => resolveOrder(order, actor, body),
      );
      return { order: masked(resolved) };
    },
  );

  const resolveOrder = async (order: WorkOrder, actor: { accountId: string; orgId: string }, body: z.infer<typeof Resolve>) => {
    if (body.as === 'case') {
      const created = await cases.create(order.orgId, body.case, actor.accountId);
      return orders.resolve(order, actor, 'case', created.caseNumber, {
        resultRef: created.id,
        siteId: created.siteId,
        caseNumber: created.caseNumber,
      });
    }
    if (body.as === 'booking') {
      const { booking } = await book.book(body.slotId, order.caller.name, order.caller.phone);
      const slot = await book.slot(body.slotId);
      return orders.resolve(order, actor, 'booking', body.slotId, {
        resultRef: booking.code,
        siteId: slot?.siteId ?? order.preferredSiteId,
      });
    }
    return orders.resolve(order, actor, 'answered', `${body.answer.length} characters`, { siteId: order.preferredSiteId });
  };
}
