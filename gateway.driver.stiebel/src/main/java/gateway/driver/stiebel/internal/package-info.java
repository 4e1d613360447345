/** Stiebel Eltron driver internals. Private to the bundle. */
package gateway.driver.stiebel.internal;
