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
        customer_zip_code_prefix: 'pii:v1:feed-2026:GwdloxnnTSvOJQjgUjnBKPhTq5U2tiRONWfXSS1qmj2s',
        customer_city: 'pii:v1:feed-2026:pAuXGm6RcQ0emzy55coQmyUNkJX_7HLzYkLOCg5YmXEopg',
        customer_state: 'SP',
      },
    },
  ],
};

export const IMPORT_CUSTOMERS_V1 = importFeedContract(
  'customers',
  'Accepted rows of olist_customers_dataset.csv. The personal columns (customer_zip_code_prefix, customer_city) are sealed: `pii:v1:<keyId>:<base64url>` (AES-256-GCM under OLIST_FEED_KEYS, the column name as associated data); consumers unseal them in memory, keep them encrypted in their own schema and never republish them.',
  example,
);
