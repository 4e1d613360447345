/** viessmann driver internals. Private to the bundle. */
package gateway.driver.viessmann.internal;
