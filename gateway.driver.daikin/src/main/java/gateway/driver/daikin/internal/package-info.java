/** daikin driver internals. Private to the bundle. */
package gateway.driver.daikin.internal;
