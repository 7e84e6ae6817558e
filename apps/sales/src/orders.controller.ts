import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { OrderQueries } from '@olist/sales-infrastructure';
import { IntQueryPipe, rpcSubject } from '@olist/service-kit';
import type { DataSource } from 'typeorm';

/** Read API of the sales context: orders with items and payments, money as decimal strings. */
@Controller()
export class OrdersController {
  private readonly queries: OrderQueries;

  constructor(@InjectDataSource() db: DataSource) {
    this.queries = new OrderQueries(db);
  }

  @Get('orders/:id')
  async order(@Param('id') id: string) {
    const order = await this.queries.order(id);
    if (!order) throw new NotFoundException(`order ${id} does not exist`);
    return order;
  }

  @Get('customers/:customerId/orders')
  async customerOrders(@Param('customerId') customerId: string, @Query('limit', new IntQueryPipe('limit', { min: 1, max: 1000, default: 100 })) limit: number) {
    return { customerId, orders: await this.queries.customerOrders(customerId, limit) };
  }

  /** Figures the warehouse reconciles its marts against: placed orders, items, money. */
  @Get('totals')
  totals() {
    return this.queries.totals();
  }

  /** Request-reply for the gateway: `{ orderId }` → the order, or `{ error: 'NOT_FOUND' }`. */
  @MessagePattern(rpcSubject('sales', 'order'))
  async orderRpc(@Payload() request: { orderId?: unknown }) {
    if (typeof request?.orderId !== 'string' || request.orderId === '') throw new RpcException('orderId must be a non-empty string');
    return (await this.queries.order(request.orderId)) ?? { error: 'NOT_FOUND', message: `order ${request.orderId} does not exist` };
  }
}
