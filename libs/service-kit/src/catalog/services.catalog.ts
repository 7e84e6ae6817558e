import catalog from './services.json';

export type ServiceName = 'gateway' | 'sales' | 'fulfillment' | 'marketplace' | 'customer' | 'quality' | 'warehouse';

export interface ServiceDescriptor {
  readonly name: ServiceName;
  /** Default HTTP port; overridden by `<NAME>_PORT`. */
  readonly port: number;
  /** Postgres schemas the service owns; the first one holds its migrations, outbox and inbox. */
  readonly schemas: readonly string[];
  readonly description: string;
}

export const SERVICES: readonly ServiceDescriptor[] = catalog as ServiceDescriptor[];

export function serviceDescriptor(name: ServiceName): ServiceDescriptor {
  const found = SERVICES.find((s) => s.name === name);
  if (!found) throw new Error(`unknown service "${name}"`);
  return found;
}

/** The Postgres role a service connects as. */
export const serviceRole = (name: ServiceName): string => `olist_${name}`;

/** Environment variable names that configure one service. */
export const serviceEnv = (name: ServiceName) => ({
  port: `${name.toUpperCase()}_PORT`,
  databaseUrl: `${name.toUpperCase()}_DATABASE_URL`,
});
