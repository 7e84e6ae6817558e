import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { CatalogQueries } from '@olist/marketplace-infrastructure';
import { IntQueryPipe, rpcSubject } from '@olist/service-kit';
import type { DataSource } from 'typeorm';

/** Read API of the marketplace context: products, sellers, a category's products page by page. */
@Controller()
export class CatalogController {
  private readonly queries: CatalogQueries;

  constructor(@InjectDataSource() db: DataSource) {
    this.queries = new CatalogQueries(db);
  }

  @Get('products/:id')
  async product(@Param('id') id: string) {
    const product = await this.queries.product(id);
    if (!product) throw new NotFoundException(`product ${id} does not exist`);
    return product;
  }

  @Get('sellers/:id')
  async seller(@Param('id') id: string) {
    const seller = await this.queries.seller(id);
    if (!seller) throw new NotFoundException(`seller ${id} does not exist`);
    return seller;
  }

  @Get('categories/:category/products')
  async categoryProducts(
    @Param('category') category: string,
    @Query('limit', new IntQueryPipe('limit', { min: 1, max: 1000, default: 100 })) limit: number,
    @Query('offset', new IntQueryPipe('offset', { min: 0, default: 0 })) offset: number,
  ) {
    return this.queries.categoryProducts(category, limit, offset);
  }

  /** Request-reply for the gateway: `{ productId }` → the product, or `{ error: 'NOT_FOUND' }`. */
  @MessagePattern(rpcSubject('marketplace', 'product'))
  async productRpc(@Payload() request: { productId?: unknown }) {
    if (typeof request?.productId !== 'string' || request.productId === '') throw new RpcException('productId must be a non-empty string');
    return (await this.queries.product(request.productId)) ?? { error: 'NOT_FOUND', message: `product ${request.productId} does not exist` };
  }

  /** Request-reply for the gateway: `{ sellerId }` → the seller, or `{ error: 'NOT_FOUND' }`. */
  @MessagePattern(rpcSubject('marketplace', 'seller'))
  async sellerRpc(@Payload() request: { sellerId?: unknown }) {
    if (typeof request?.sellerId !== 'string' || request.sellerId === '') throw new RpcException('sellerId must be a non-empty string');
    return (await this.queries.seller(request.sellerId)) ?? { error: 'NOT_FOUND', message: `seller ${request.sellerId} does not exist` };
  }
}
