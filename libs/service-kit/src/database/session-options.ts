/**
 * Server settings the services' database pools and `olist load` start with (the `options` startup
 * parameter). The relay's and the CLI's short queries do without.
 *
 * `jit=off`: the services run the same set-based statements over batches of a few hundred to a
 * few thousand rows, again and again. Their planned costs cross PostgreSQL's JIT thresholds, so
 * with JIT on each execution compiles its expressions afresh — which costs more than it saves:
 * at scale 1 (`npm run bench:e2e`) JIT took about a tenth of the database's CPU.
 */
export const PG_SESSION_OPTIONS = '-c jit=off';
