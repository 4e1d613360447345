/** IDM Navigator 2.0: register map, driver service and controller simulator. Private to the bundle. */
package gateway.driver.idm.internal;
