import { Controller, Get, Headers, Inject, NotFoundException, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CustomerQueries, PiiCipher } from '@olist/customer-infrastructure';
import type { DataSource } from 'typeorm';

/** The request header that lets a read return personal data (zip prefix, city, review texts) decrypted. */
export const PII_HEADER = 'x-olist-pii';

const allowsPii = (header: string | undefined) => header?.trim().toLowerCase() === 'allow';

/** Read API of the customer context. Personal fields appear only with `x-olist-pii: allow`; segments and metrics carry none. */
@Controller()
export class CustomerController {
  private readonly queries: CustomerQueries;

  constructor(@InjectDataSource() db: DataSource, @Inject(PiiCipher) cipher: PiiCipher) {
    this.queries = new CustomerQueries(db, cipher);
  }

  /** Persons per segment (all six always present) as of the last recomputation. */
  @Get('segments')
  async segments() {
    return this.queries.segmentCounts();
  }

  @Get('customers/:uniqueId')
  async customer(@Param('uniqueId') uniqueId: string, @Headers(PII_HEADER) pii?: string) {
    const customer = await this.queries.customer(uniqueId, allowsPii(pii));
    if (!customer) throw new NotFoundException(`customer ${uniqueId} does not exist`);
    return customer;
  }

  @Get('orders/:orderId/reviews')
  async orderReviews(@Param('orderId') orderId: string, @Headers(PII_HEADER) pii?: string) {
    return this.queries.orderReviews(orderId, allowsPii(pii));
  }
}
