package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import gateway.core.api.HeatpumpManager;

/** Gateway settings arrive through ConfigAdmin, as the OSGi tooling and the deploy folder's .cfg files deliver them. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ManagerConfigurationTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @Test
    void managerTakesItsSettingsFromConfigAdmin() throws Exception {
        Configuration config = configAdmin.getConfiguration("gateway.manager", "?");
        // the metatype defaults are component properties too: this is what the manager publishes untouched
        String defaultCapacity = String.valueOf(context.getServiceReference(HeatpumpManager.class)
                .getProperty("listener.queue.capacity"));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("listener.queue.capacity", 77);
        Object serviceIdBefore = context.getServiceReference(HeatpumpManager.class).getProperty("service.id");
        try {
            config.update(props);
            // DS publishes a component's configuration as properties of its service: proof the component got it.
            Await.until("manager re-configured with the new queue capacity", Duration.ofSeconds(15), () -> {
                ServiceReference<HeatpumpManager> ref = context.getServiceReference(HeatpumpManager.class);
                return ref != null && "77".equals(String.valueOf(ref.getProperty("listener.queue.capacity")));
            });
            ServiceReference<HeatpumpManager> ref = context.getServiceReference(HeatpumpManager.class);
            assertNotNull(context.getService(ref), "manager still provides its service after re-configuration");
            assertEquals("gateway.manager", String.valueOf(ref.getProperty("service.pid")));
            // @Modified: the same registration, so the manager was not deactivated and no device reconnected
            assertEquals(serviceIdBefore, ref.getProperty("service.id"), "the manager was re-configured in place");
        } finally {
            config.delete();
            // ConfigAdmin re-configures the manager on its own thread; the next test must not meet it half-restarted
            // (it would hold the retired instance), so wait until the defaults are back in effect
            Await.until("manager back on its default configuration", Duration.ofSeconds(15), () -> {
                ServiceReference<HeatpumpManager> ref = context.getServiceReference(HeatpumpManager.class);
                return ref != null
                        && defaultCapacity.equals(String.valueOf(ref.getProperty("listener.queue.capacity")));
            });
        }
    }
}
