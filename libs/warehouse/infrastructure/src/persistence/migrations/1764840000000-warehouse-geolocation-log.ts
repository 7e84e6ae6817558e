import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * core.geolocation_points becomes a log of the geolocation rows the warehouse could place, appended
 * without a key: checking each row against a five-column unique index cost more than the rest of
 * its insert, and dim_geolocation is built from the log's distinct rows instead. core.mart_build
 * records how many rows the last dim_geolocation build read (`geolocation_rows`), so a build keeps
 * dim_geolocation while no row arrived. Down removes repeated rows and restores the key.
 */
export class WarehouseGeolocationLog1764840000000 implements MigrationInterface {
  readonly name = 'WarehouseGeolocationLog1764840000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE core.geolocation_points DROP CONSTRAINT geolocation_points_pkey`);
    await runner.query(`ALTER TABLE core.mart_build ADD COLUMN geolocation_rows bigint`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE core.mart_build DROP COLUMN geolocation_rows`);
    await runner.query(
      `DELETE FROM core.geolocation_points p
        USING (SELECT ctid, row_number() OVER (PARTITION BY zip_prefix, lat, lng, city, state) AS n FROM core.geolocation_points) d
        WHERE p.ctid = d.ctid AND d.n > 1`,
    );
    await runner.query(`ALTER TABLE core.geolocation_points ADD PRIMARY KEY (zip_prefix, lat, lng, city, state)`);
  }
}
