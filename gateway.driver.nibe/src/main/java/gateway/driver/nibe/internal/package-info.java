/** nibe driver internals. Private to the bundle. */
package gateway.driver.nibe.internal;
