import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether the stream was told a category's English name: translations stored from now on were
 * (category-translated is written with them), those stored before were not, and the marketplace
 * service tells them when it starts (`MarketplaceImportHandler.tellUntoldTranslations`).
 */
export class MarketplaceToldTranslations1764890000000 implements MigrationInterface {
  readonly name = 'MarketplaceToldTranslations1764890000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE marketplace.category_translations ADD COLUMN told boolean NOT NULL DEFAULT false`);
    await runner.query(`ALTER TABLE marketplace.category_translations ALTER COLUMN told SET DEFAULT true`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE marketplace.category_translations DROP COLUMN told`);
  }
}
