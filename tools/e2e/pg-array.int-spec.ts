import fc from 'fast-check';
import { Client } from 'pg';
import { pgArray } from '@olist/messaging';
import { createTestDatabase, type TestDatabase } from '@olist/testing';

// pgArray builds the array literals of the batch statements' parameters: whatever the text,
// PostgreSQL must read back exactly the values given.
describe('pgArray against Postgres', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase('pg_array');
    client = new Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('round-trips any text, NULL and the word NULL as a text[] parameter (property)', async () => {
    const element = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.constant(null),
      fc.constantFrom('NULL', 'null', 'Null', '', ' ', ' a ', 'a b', '{}', '{a,b}', '"', '\\', '\\"', ',', 'são paulo', "d'oeste", '\t'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(element, { maxLength: 20 }), async (values) => {
        const { rows } = await client.query<{ v: (string | null)[] }>('SELECT $1::text[] AS v', [pgArray(values)]);
        expect(rows[0]?.v).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });

  it('writes numbers as numeric and float8 elements read back equal', async () => {
    const { rows } = await client.query('SELECT $1::numeric[]::text[] AS n, $2::float8[] AS f, $3::int[] AS i', [
      pgArray(['-23.540', '1e-5', '0']),
      pgArray([-23.5456789, 1.5e-7, null]),
      pgArray([1, -2, null]),
    ]);
    expect(rows[0]).toEqual({ n: ['-23.540', '0.00001', '0'], f: [-23.5456789, 1.5e-7, null], i: [1, -2, null] });
  });
});
