/** The topic StudioEvents travel on over the RPC channel (kept out of methods.ts so a client need not load the schemas). */
export const STUDIO_EVENT_TOPIC = 'studio:event';
