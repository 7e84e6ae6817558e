import path from 'node:path';
import { CUSTOMER_CONTRACTS } from '@olist/customer-contracts';
import { FULFILLMENT_CONTRACTS } from '@olist/fulfillment-contracts';
import { MARKETPLACE_CONTRACTS } from '@olist/marketplace-contracts';
import { ContractRegistry, type EventContract } from '@olist/messaging/contracts';
import { QUALITY_CONTRACTS } from '@olist/quality-contracts';
import { SALES_CONTRACTS } from '@olist/sales-contracts';

export const ROOT = path.resolve(__dirname, '../..');

/** A contracts library: the context that owns it, its folder and the contract versions it exports. */
export interface ContractLib {
  readonly context: string;
  /** Relative to the repository root. */
  readonly dir: string;
  readonly contracts: readonly EventContract[];
}

export const CONTRACT_LIBS: readonly ContractLib[] = [
  { context: 'sales', dir: 'libs/sales/contracts', contracts: SALES_CONTRACTS },
  { context: 'fulfillment', dir: 'libs/fulfillment/contracts', contracts: FULFILLMENT_CONTRACTS },
  { context: 'marketplace', dir: 'libs/marketplace/contracts', contracts: MARKETPLACE_CONTRACTS },
  { context: 'customer', dir: 'libs/customer/contracts', contracts: CUSTOMER_CONTRACTS },
  { context: 'quality', dir: 'libs/quality/contracts', contracts: QUALITY_CONTRACTS },
];

/** Every contract version of the platform, library by library in catalog order. */
export const ALL_CONTRACTS: readonly EventContract[] = CONTRACT_LIBS.flatMap((lib) => lib.contracts);

export const CONTRACT_REGISTRY = new ContractRegistry(ALL_CONTRACTS);
