// What the current HTTP request says about an audit record (from where, which operation, its correlation id), held
// for the handler and everything it awaits, so `AuditTrail.record` called deep in a use case (a sign-in) has it.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface AuditRequestContext {
  clientIp?: string;
  correlationId?: string;
  /** `POST /tickets/:ticketId/notes`: the method and the route template, never the URL with its values. */
  operation?: string;
}

const storage = new AsyncLocalStorage<AuditRequestContext>();

export const auditContext = {
  run<T>(context: AuditRequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): AuditRequestContext | undefined {
    return storage.getStore();
  },
};
