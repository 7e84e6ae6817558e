// Deliberately broken: a domain lib that imports frameworks and another context's domain.
// tools/boundaries/boundaries.int-spec.ts checks that the lint rejects each import below.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { connect } from '@nats-io/transport-node';
import { ProductCatalog } from '@olist/boundary-fixture/marketplace-domain';

@Injectable()
export class OrderPricing {
  constructor(
    readonly catalog: ProductCatalog,
    readonly db: DataSource,
  ) {}

  readonly connectNats = connect;
}
