/** Vaillant driver internals: the ebusd client, message table, session and simulator. Private to the bundle. */
package gateway.driver.vaillant.internal;
