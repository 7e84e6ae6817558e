import { importFeedContract, type ImportBatchV1 } from './import-batch';

export type ImportGeolocationV1 = ImportBatchV1<'geolocation'>;

const example: ImportGeolocationV1 = {
  loadId: '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f',
  file: 'olist_geolocation_dataset.csv',
  batch: 1,
  rows: [
    {
      line: 2,
      values: {
        geolocation_zip_code_prefix: '01037',
        geolocation_lat: '-23.54562128115268',
        geolocation_lng: '-46.63929204800168',
        geolocation_city: 'sao paulo',
        geolocation_state: 'SP',
      },
    },
  ],
};

export const IMPORT_GEOLOCATION_V1 = importFeedContract(
  'geolocation',
  'Accepted rows of olist_geolocation_dataset.csv (several coordinates per zip prefix).',
  example,
);
