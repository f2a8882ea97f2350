/**
 * The StudioApi object of a client: one function per method name, made on first use. The method list is not imported
 * (it is built from every request's zod schema, which the renderer does not need at start-up); the engine side checks
 * each request and answers `UNKNOWN_METHOD` for a name it does not have.
 */
import type { StudioApi, StudioEvent, Unsubscribe } from '../../shared/api/methods';

/**
 * @param call - sends one call
 * @param onEvent - subscribes to engine events
 * @returns the api object
 */
export function apiProxy(call: (method: string, request: unknown) => Promise<unknown>, onEvent: (listener: (e: StudioEvent) => void) => Unsubscribe): StudioApi {
  const made = new Map<string, (request: unknown) => Promise<unknown>>();
  return new Proxy({} as StudioApi, {
    get(_target, prop) {
      if (prop === 'onEvent') return onEvent;
      // not a thenable, and symbols (inspection, iteration) are not methods
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      let fn = made.get(prop);
      if (!fn) {
        fn = (request: unknown) => call(prop, request ?? {});
        made.set(prop, fn);
      }
      return fn;
    },
  });
}
