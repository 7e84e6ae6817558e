import { type DomainError, type Result, UF, ZipPrefix, err, ok } from '@olist/shared-kernel';

/** One row of the customers file: a per-order customer_id of a person (customer_unique_id). */
export interface CustomerAccountInput {
  readonly customerUniqueId: string;
  readonly customerId: string;
  readonly zipPrefix: string;
  readonly city: string;
  readonly state: string;
}

/** Where a customer id lives. Zip prefix and city are personal data (stored encrypted, never published). */
export interface CustomerAddress {
  readonly zipPrefix: string;
  /** As written in the source, trimmed (personal data: not normalised away). */
  readonly city: string;
  readonly state: UF;
}

export interface CustomerAccount {
  readonly customerId: string;
  readonly address: CustomerAddress;
}

/** What customer-registered says: ids and the state only. */
export interface CustomerRegistration {
  customerUniqueId: string;
  customerIds: string[];
  state: UF;
}

const idError = (message: string): DomainError => ({ code: 'CUSTOMER.ID_EMPTY', message });

export function customerAccount(input: CustomerAccountInput): Result<CustomerAccount, DomainError> {
  const customerId = input.customerId.trim();
  if (customerId === '') return err(idError('customer_id is empty'));
  const zip = ZipPrefix.parse(input.zipPrefix);
  if (!zip.ok) return zip;
  const state = UF.parse(input.state);
  if (!state.ok) return state;
  return ok({ customerId, address: { zipPrefix: zip.value.value, city: input.city.trim(), state: state.value } });
}

/**
 * A person, keyed by customer_unique_id, with the per-order customer ids it has used (one per
 * order in the source) and the address of each. The customer's `address` is the one of its
 * lowest customer id, so it does not depend on the order rows arrive in.
 */
export class Customer {
  private constructor(
    readonly uniqueId: string,
    /** Sorted by customer id, one entry per id. */
    readonly accounts: readonly CustomerAccount[],
  ) {
    Object.freeze(this);
  }

  static register(uniqueId: string, accounts: readonly CustomerAccount[]): Result<Customer, DomainError> {
    const id = uniqueId.trim();
    if (id === '') return err(idError('customer_unique_id is empty'));
    if (accounts.length === 0) return err({ code: 'CUSTOMER.NO_ACCOUNT', message: `customer ${id} has no customer_id` });
    const byId = new Map<string, CustomerAccount>();
    for (const account of accounts) if (!byId.has(account.customerId)) byId.set(account.customerId, account);
    const sorted = [...byId.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
    return ok(new Customer(id, sorted));
  }

  /** This customer with `accounts` added (ids already known keep their address). */
  merge(accounts: readonly CustomerAccount[]): Customer {
    const merged = Customer.register(this.uniqueId, [...this.accounts, ...accounts]);
    if (!merged.ok) throw new Error(merged.error.message);
    return merged.value;
  }

  get customerIds(): string[] {
    return this.accounts.map((a) => a.customerId);
  }

  get address(): CustomerAddress {
    return this.accounts[0].address;
  }

  registration(): CustomerRegistration {
    return { customerUniqueId: this.uniqueId, customerIds: this.customerIds, state: this.address.state };
  }

  /** True when the customer is new, gained a customer id or its state changed since `previous`. */
  registeredSince(previous: Customer | null): boolean {
    return previous === null || JSON.stringify(previous.registration()) !== JSON.stringify(this.registration());
  }
}

/** Groups rows of the customers file by customer_unique_id; rows that cannot be accounts are returned with their error. */
export function customersFromRows(rows: readonly CustomerAccountInput[]): {
  customers: Customer[];
  rejected: { row: CustomerAccountInput; error: DomainError }[];
} {
  const grouped = new Map<string, CustomerAccount[]>();
  const rejected: { row: CustomerAccountInput; error: DomainError }[] = [];
  for (const row of rows) {
    const account = customerAccount(row);
    const uniqueId = row.customerUniqueId.trim();
    if (!account.ok) rejected.push({ row, error: account.error });
    else if (uniqueId === '') rejected.push({ row, error: idError('customer_unique_id is empty') });
    else grouped.set(uniqueId, [...(grouped.get(uniqueId) ?? []), account.value]);
  }
  const customers: Customer[] = [];
  for (const [uniqueId, accounts] of grouped) {
    const customer = Customer.register(uniqueId, accounts);
    if (customer.ok) customers.push(customer.value);
  }
  return { customers, rejected };
}
