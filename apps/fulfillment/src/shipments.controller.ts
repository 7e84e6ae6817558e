import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { ShipmentQueries } from '@olist/fulfillment-infrastructure';
import { rpcSubject } from '@olist/service-kit';
import type { DataSource } from 'typeorm';

/** Read API of the fulfillment context: shipments and the delivery SLA per customer state. */
@Controller()
export class ShipmentsController {
  private readonly queries: ShipmentQueries;

  constructor(@InjectDataSource() db: DataSource) {
    this.queries = new ShipmentQueries(db);
  }

  @Get('shipments/:orderId')
  async shipment(@Param('orderId') orderId: string) {
    const shipment = await this.queries.shipment(orderId);
    if (!shipment) throw new NotFoundException(`shipment of order ${orderId} does not exist`);
    return shipment;
  }

  @Get('sla/states')
  async slaStates() {
    return { states: await this.queries.slaByState() };
  }

  /** Request-reply for the gateway: `{ orderId }` → the shipment, or `{ error: 'NOT_FOUND' }`. */
  @MessagePattern(rpcSubject('fulfillment', 'shipment'))
  async shipmentRpc(@Payload() request: { orderId?: unknown }) {
    if (typeof request?.orderId !== 'string' || request.orderId === '') throw new RpcException('orderId must be a non-empty string');
    return (await this.queries.shipment(request.orderId)) ?? { error: 'NOT_FOUND', message: `shipment of order ${request.orderId} does not exist` };
  }

  /** Request-reply for the gateway: `{}` → the SLA per customer state. */
  @MessagePattern(rpcSubject('fulfillment', 'sla'))
  async slaRpc() {
    return { states: await this.queries.slaByState() };
  }
}
