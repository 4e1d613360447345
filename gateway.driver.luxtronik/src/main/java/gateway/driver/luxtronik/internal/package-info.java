/** luxtronik driver internals. Private to the bundle. */
package gateway.driver.luxtronik.internal;
