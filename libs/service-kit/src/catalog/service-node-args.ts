/**
 * V8 options every service process starts with, wherever it is launched: `olist up`, `bench:e2e`,
 * the platform tests, docker-compose.yml and the Kubernetes manifests.
 *
 * `--max-semi-space-size=64` (MB): a service applies batches of thousands of events; each batch's
 * parsed messages, domain objects and SQL parameters outlive several scavenges of V8's default
 * 16 MB semi-spaces and are copied (often promoted) before they die. With 64 MB most die young: at
 * scale 1 (`npm run bench:e2e`) the services' garbage collection took about a quarter less time,
 * and their CPU about 3-4 s less of about 60 s. Each service's young generation may then grow to
 * about 200 MB.
 */
export const SERVICE_NODE_ARGS: readonly string[] = ['--max-semi-space-size=64'];
