import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { datasetSize } from './dataset-size';
import { generateOlistDataset } from './generate-olist-dataset';
import { OLIST_FILES, OlistTable } from './olist-files';
import { integrityProblems, readDataset } from './testing/read-dataset';

describe('generateOlistDataset for any small scale and seed', () => {
  let root: string;
  beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'olist-gen-prop-'))));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes the planned row counts with valid foreign keys', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0.00002, max: 0.004, noNaN: true }), fc.integer(), async (scale, seed) => {
        const outDir = join(root, String(run++));
        const report = await generateOlistDataset({ outDir, scale, seed });
        const ds = readDataset(outDir);
        const size = datasetSize(scale);
        for (const t of Object.keys(OLIST_FILES) as OlistTable[]) expect([t, ds.rows[t].length]).toEqual([t, size[t]]);
        expect(report.files.map((f) => f.rows)).toEqual(report.files.map((f) => size[f.table]));
        expect(integrityProblems(ds)).toEqual([]);
        rmSync(outDir, { recursive: true, force: true });
      }),
      { numRuns: 6 },
    );
  });
});
