// Types of ensure.js (plain CommonJS so it runs before anything is compiled).
import type { Client, Pool } from 'pg';

export declare const DEFAULT_DATABASE_URL: string;
export declare const DEFAULT_NATS_URL: string;

export interface EnsureOptions {
  /** Progress messages (starting, installing, created ...). Default console.log. */
  log?: (message: string) => void;
  /** Admin URL; default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/olist. */
  databaseUrl?: string;
  /** Default $NATS_URL or nats://127.0.0.1:4222. */
  natsUrl?: string;
  /** Install missing servers with apt-get (Debian, root only). Default true. */
  install?: boolean;
  /** Start local servers that are not running. Default true. */
  start?: boolean;
}

export interface PostgresStatus {
  /** DATABASE_URL without its password. */
  url: string;
  database: string;
  version: string;
  started: boolean;
  installed: boolean;
  /** The database did not exist and was created. */
  created: boolean;
}

export interface NatsStatus {
  url: string;
  version: string;
  jetstream: true;
  started: boolean;
  installed: boolean;
}

export interface InfraSummary {
  postgres: PostgresStatus;
  nats: NatsStatus;
  roles: string[];
}

export interface ProvisionOptions {
  /** Roles to create and grant; default one olist_<name> per catalog service. */
  roles?: string[];
  /** Password for the roles; default $OLIST_DB_ROLE_PASSWORD (none when unset). */
  password?: string;
  log?: (message: string) => void;
}

export interface ProvisionResult {
  database: string;
  created: boolean;
  roles: string[];
  createdRoles: string[];
}

export interface NatsInfo {
  version?: string;
  jetstream?: boolean;
  [key: string]: unknown;
}

export declare function ensureInfra(options?: EnsureOptions): Promise<InfraSummary>;
export declare function ensurePostgres(options?: Omit<EnsureOptions, 'natsUrl'>): Promise<PostgresStatus & { roles: string[] }>;
export declare function ensureNats(options?: Omit<EnsureOptions, 'databaseUrl'>): Promise<NatsStatus>;
export declare function provisionDatabase(adminClientOrUrl: string | Client | Pool, dbName: string, options?: ProvisionOptions): Promise<ProvisionResult>;
export declare function serviceRoles(): string[];
export declare function readNatsInfo(host: string, port: number, timeoutMs?: number): Promise<NatsInfo>;
export declare function formatSummary(summary: InfraSummary): string;
export declare function main(argv?: string[]): Promise<number>;
