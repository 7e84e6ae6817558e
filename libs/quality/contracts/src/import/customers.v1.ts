import { importFeedContract, type ImportBatchV1 } from './import-batch';

export type ImportCustomersV1 = ImportBatchV1<'customers'>;

const example: ImportCustomersV1 = {
  loadId: '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f',
  file: 'olist_customers_dataset.csv',
  batch: 1,
  rows: [
    {
      line: 2,
      values: {
        customer_id: '06b8999e2fba1a1fbc88172c00ba8bc7',
        customer_unique_id: '861eff4711a542e4b93843c6dd7febb0',
        // '14409' and 'franca', sealed as the feed carries them
        customer_zip_code_prefix: 'pii:v2:feed-2026:i-ycbLBa2yUVT1ZgzKtaaNEpAKF2qaCniGA7WD54orHcBzLPqZxiFuDVNPc2',
        customer_city: 'pii:v2:feed-2026:VsQ0HWl8sud9cferC2ILaLQeXDjdf9aDhRCsBVM0n_qakEtqwhPbfDFBzX5-Uw',
        customer_state: 'SP',
      },
    },
  ],
};

export const IMPORT_CUSTOMERS_V1 = importFeedContract(
  'customers',
  'Accepted rows of olist_customers_dataset.csv. The personal columns (customer_zip_code_prefix, customer_city) are sealed: `pii:v2:<keyId>:<base64url>` (XChaCha20-Poly1305 under OLIST_FEED_KEYS, the column name as associated data; `pii:v1:` values, AES-256-GCM, are still accepted); consumers unseal them in memory, keep them encrypted in their own schema and never republish them.',
  example,
);
