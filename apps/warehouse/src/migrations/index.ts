import { messagingMigrations } from '@olist/messaging';
import {
  WarehouseGeolocationLog1764840000000,
  WarehouseSchema1764600000000,
  WarehouseSegmentOrder1764820000000,
  WarehouseUpdateRoom1764830000000,
} from '@olist/warehouse-infrastructure';

/** Migrations of the core and mart schemas, oldest first. */
export const WAREHOUSE_MIGRATIONS = [...messagingMigrations('core'), WarehouseSchema1764600000000, WarehouseSegmentOrder1764820000000, WarehouseUpdateRoom1764830000000,
  WarehouseGeolocationLog1764840000000,
];
