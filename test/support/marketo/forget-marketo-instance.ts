import type { Queryable } from '../../../engine/runtime/queryable';
import { marketoInstanceOf } from '../../../engine/vendors/marketo/marketo-instance';

/**
 * Removes what `roster_shared` counts for the instance at `url` (its calls in the window, its
 * daily quota). Test servers listen on ports the system hands out, and a port is reused once an
 * earlier file's server closed, so an instance a test starts may already hold that file's counts:
 * a test that asserts counts forgets its instances first (and after, to leave nothing behind).
 */
export async function forgetMarketoInstance(db: Queryable, url: string): Promise<void> {
  const instance = marketoInstanceOf(url);
  await db.query('delete from roster_shared.marketo_calls where instance = $1', [instance]);
  await db.query('delete from roster_shared.marketo_instances where instance = $1', [instance]);
}
