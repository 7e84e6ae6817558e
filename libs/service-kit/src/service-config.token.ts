/** Injection token of the running service's ServiceConfig. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
