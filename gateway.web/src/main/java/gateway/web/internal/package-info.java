/** REST API servlets, authentication and problem documents. Private to the bundle. */
package gateway.web.internal;
