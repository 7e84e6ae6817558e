/**
 * V8 options every service process starts with where the platform runs it: `olist up`, `bench:e2e`,
 * docker-compose.yml and the Kubernetes manifests (the integration tests start services on small
 * data sets and do without).
 *
 * `--max-semi-space-size=64` (MB): a service applies batches of thousands of events; each batch's
 * parsed messages, domain objects and SQL parameters outlive several scavenges of V8's default
 * 16 MB semi-spaces and are copied (often promoted) before they die. With 64 MB most die young: at
 * scale 1 (`npm run bench:e2e`) the services' garbage collection took about a quarter less time,
 * and their CPU 2-4 s less of about 60 s; each service's peak RSS grew by about 100 MB.
 */
export const SERVICE_NODE_ARGS: readonly string[] = ['--max-semi-space-size=64'];
