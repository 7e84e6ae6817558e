import { CHURN_AFTER_DAYS, LOYAL_ABOVE_ORDERS, Segment, VIP_ABOVE } from '@olist/customer-domain';

/** SQL expressions of the inputs of a segment (column names or any expression of the right type). */
export interface SegmentSqlInputs {
  /** integer */
  readonly orders: string;
  /** numeric, BRL */
  readonly monetary: string;
  /** timestamptz, null without orders */
  readonly lastOrderAt: string;
  /** timestamptz */
  readonly asOf: string;
}

const CHURN_AFTER_SECONDS = CHURN_AFTER_DAYS * 86_400;

/**
 * The SQL twin of segmentOf(): the same rules in the same precedence, built from the domain's
 * own thresholds (a test runs both on the boundaries). Churn compares exact elapsed seconds.
 */
export function segmentCaseSql(c: SegmentSqlInputs): string {
  return `CASE
      WHEN ${c.lastOrderAt} IS NOT NULL AND extract(epoch FROM (${c.asOf} - ${c.lastOrderAt})) > ${CHURN_AFTER_SECONDS} THEN '${Segment.CHURNED}'
      WHEN ${c.orders} > ${LOYAL_ABOVE_ORDERS} AND ${c.monetary} > ${VIP_ABOVE.toDecimalString()}::numeric THEN '${Segment.VIP}'
      WHEN ${c.orders} > ${LOYAL_ABOVE_ORDERS} THEN '${Segment.LOYAL}'
      WHEN ${c.orders} > 1 THEN '${Segment.REGULAR}'
      WHEN ${c.orders} = 1 THEN '${Segment.ONE_TIME}'
      ELSE '${Segment.NEW}'
    END`;
}
