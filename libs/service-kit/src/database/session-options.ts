/**
 * Server settings the services' database pools and `olist load` start with (the `options` startup
 * parameter). The relay's and the CLI's short queries do without.
 *
 * `jit=off`: the services run the same set-based statements over batches of a few hundred to a
 * few thousand rows, again and again. Their planned costs cross PostgreSQL's JIT thresholds, so
 * with JIT on each execution compiles its expressions afresh — which costs more than it saves:
 * at scale 1 (`npm run bench:e2e`) JIT took about a tenth of the database's CPU.
 *
 * `work_mem=32MB`: the server's default of 4 MB made the sorts and hashes of a batch of 10,000
 * rows (distinct customer ids, centroid points, shipment contexts) spill to temporary files:
 * about 200 MB written and read back at scale 1. With 32 MB none of the services' statements
 * spills; a connection uses it only while such a statement runs.
 */
export const PG_SESSION_OPTIONS = '-c jit=off -c work_mem=32MB';
