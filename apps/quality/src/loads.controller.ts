import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { IntQueryPipe } from '@olist/service-kit';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Read API of the quality context: loads, their per-file report, quarantined rows. */
@Controller('loads')
export class LoadsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  async list(@Query('limit', new IntQueryPipe('limit', { min: 1, max: 200, default: 20 })) limit: number) {
    const rows = await this.db.query(
      `SELECT id, source, status, gate, failure, started_at AS "startedAt", finished_at AS "finishedAt"
         FROM quality.loads ORDER BY started_at DESC LIMIT $1`,
      [limit],
    );
    return { loads: rows };
  }

  /** The per-table report: rows, accepted, quarantined, warnings, score, and counts per rule. */
  @Get(':id')
  async report(@Param('id', new ParseUUIDPipe()) id: string) {
    const [load] = await this.db.query(
      `SELECT id, source, status, gate, failure, started_at AS "startedAt", staged_at AS "stagedAt",
              checked_at AS "checkedAt", finished_at AS "finishedAt" FROM quality.loads WHERE id = $1`,
      [id],
    );
    if (!load) throw new NotFoundException(`load ${id} does not exist`);
    const files = await this.db.query(
      `SELECT f.file, f.file_name AS "fileName", f.bytes::bigint::float8 AS bytes, f.sha256, f.records, f.accepted, f.quarantined, f.warnings,
              f.score::float8 AS score,
              COALESCE((SELECT json_object_agg(rule_code, n) FROM (
                 SELECT rule_code, count(*)::int AS n FROM quality.verdicts v WHERE v.load_id = f.load_id AND v.file = f.file GROUP BY rule_code) r), '{}') AS rules
         FROM quality.load_files f WHERE f.load_id = $1 ORDER BY f.file`,
      [id],
    );
    return { ...load, files };
  }

  @Get(':id/quarantine')
  async quarantine(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('limit', new IntQueryPipe('limit', { min: 1, max: 1000, default: 100 })) limit: number,
    @Query('offset', new IntQueryPipe('offset', { min: 0, default: 0 })) offset: number,
  ) {
    const rows = await this.db.query(
      `SELECT f.file_name AS file, v.line, v.rule_code AS rule, v.message, v."values"
         FROM quality.verdicts v JOIN quality.load_files f ON f.load_id = v.load_id AND f.file = v.file
        WHERE v.load_id = $1 AND v.severity = 'error' ORDER BY v.file, v.line, v.rule_code LIMIT $2 OFFSET $3`,
      [id, limit, offset],
    );
    return { loadId: id, limit, offset, quarantined: rows };
  }
}
