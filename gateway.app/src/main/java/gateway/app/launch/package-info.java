/** The command-line entry point of gateway.jar; runs before the OSGi framework exists. */
package gateway.app.launch;
