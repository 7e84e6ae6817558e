import { BadRequestException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessagingRuntime } from '@olist/messaging';
import { rpcSubject } from '@olist/service-kit';
import { MartQueries, parseMartQuery, resetProjection, type RawMartQuery } from '@olist/warehouse-infrastructure';
import type { DataSource } from 'typeorm';
import { MartRefreshService } from './mart-refresh.service';

/** Query API of the warehouse: the marts with filters and paging, progress, reconciliation figures, replay. */
@Controller()
export class WarehouseController {
  private readonly queries: MartQueries;

  constructor(
    @InjectDataSource() db: DataSource,
    private readonly marts: MartRefreshService,
    private readonly messaging: MessagingRuntime,
  ) {
    this.queries = new MartQueries(db);
  }

  @Get('marts')
  async catalog() {
    return { marts: this.queries.catalog(), progress: await this.marts.builder.progress() };
  }

  @Get('marts/:name')
  async mart(@Param('name') name: string, @Query() query: RawMartQuery) {
    const parsed = parseMartQuery(name, query);
    if (!parsed.ok) {
      if (parsed.error.code === 'MART_QUERY.UNKNOWN_MART') throw new NotFoundException(parsed.error.message);
      throw new BadRequestException(parsed.error.message);
    }
    return this.queries.page(parsed.value);
  }

  /** How far the projection is: events applied, events the marts were built from, fresh or not. */
  @Get('progress')
  progress() {
    return this.marts.builder.progress();
  }

  /** The warehouse's side of the reconciliation with the contexts (sums over the marts). */
  @Get('reconciliation')
  async reconciliation() {
    return { progress: await this.marts.builder.progress(), figures: await this.queries.reconciliationFigures() };
  }

  /** Rebuilds core and mart from the streams: empties them, rewinds the consumers to the first event. */
  @Post('replay')
  @HttpCode(202)
  async replay() {
    await this.messaging.rewindConsumers((tx) => resetProjection(tx));
    return { replaying: true, progress: await this.marts.builder.progress() };
  }

  /** Request-reply for the gateway: `{ mart, from?, to?, state?, category?, seller?, limit?, offset? }` → a page, or `{ error }`. */
  @MessagePattern(rpcSubject('warehouse', 'mart'))
  async martRpc(@Payload() request: RawMartQuery & { mart?: unknown }) {
    const { mart, ...query } = request ?? {};
    const parsed = parseMartQuery(typeof mart === 'string' ? mart : '', query);
    if (!parsed.ok) return { error: parsed.error.code, message: parsed.error.message };
    return this.queries.page(parsed.value);
  }

  /** Request-reply for the gateway: the marts, their columns and filters. */
  @MessagePattern(rpcSubject('warehouse', 'marts'))
  martsRpc() {
    return { marts: this.queries.catalog() };
  }
}
