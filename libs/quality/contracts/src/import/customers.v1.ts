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
        customer_zip_code_prefix: '14409',
        customer_city: 'franca',
        customer_state: 'SP',
      },
    },
  ],
};

export const IMPORT_CUSTOMERS_V1 = importFeedContract(
  'customers',
  'Accepted rows of olist_customers_dataset.csv. Carries personal data (zip prefix, city): consumers keep it in their own schema and never republish it.',
  example,
);
