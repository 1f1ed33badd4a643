// The ordered list of migrations. Add a new numbered file (002_..., never edit a landed one) and list it here.
import type { Migration } from 'kysely';
import * as m001 from './001_core_tables';
import * as m002 from './002_sync_engine';
import * as m003 from './003_record_locks';
import * as m004 from './004_state_checks';
import * as m005 from './005_error_codes';
import * as m006 from './006_notification_delivery';
import * as m007 from './007_sync_deletes';
import * as m008 from './008_change_attribution';

export const migrations: Record<string, Migration> = {
  '001_core_tables': m001,
  '002_sync_engine': m002,
  '003_record_locks': m003,
  '004_state_checks': m004,
  '005_error_codes': m005,
  '006_notification_delivery': m006,
  '007_sync_deletes': m007,
  '008_change_attribution': m008,
};
