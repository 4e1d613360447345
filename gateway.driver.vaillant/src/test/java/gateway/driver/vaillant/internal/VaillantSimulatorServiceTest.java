package gateway.driver.vaillant.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSession;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;

/** The simulator service the demo and the tests start: its options, and nothing left behind on deactivation. */
class VaillantSimulatorServiceTest {

    @Test
    void optionsNameTheCircuitsAndTheMessagesTheUnitLacks() throws Exception {
        VaillantSimulatorService service = new VaillantSimulatorService();
        VaillantDriver driver = new VaillantDriver();
        HeatpumpSimulator.Running sim = service.start(0, new DeviceConfig(List.of(), List.of(),
                Map.of("controller_circuit", "ctlv3", "missing", "CopHc", "broken", "HwcStorageTemp")));
        try (DeviceSession s = driver.open(new ConnectionConfig("127.0.0.1", sim.port(), 1, 3000,
                Map.of("controller_circuit", "ctlv3")), DeviceConfig.empty())) {
            ReadResult r = s.read(driver.sensors(DeviceConfig.empty()));
            assertEquals(Quality.GOOD, r.readings().get("temp_outdoor").quality());
            assertEquals(Quality.INVALID, r.readings().get("vendor_cop_heating").quality());
            assertTrue(r.readings().get("vendor_cop_heating").error().contains("ERR: element not found"));
            assertEquals(Quality.INVALID, r.readings().get("temp_hot_water").quality());
            assertTrue(r.readings().get("temp_hot_water").error().contains("ERR: invalid position"));
            assertEquals(Quality.GOOD, r.readings().get("vendor_cop_hot_water").quality());
        } finally {
            service.deactivate();
        }
        // the listener closes on its own thread: wait (bounded) until a connection is refused
        int port = sim.port();
        long deadline = System.nanoTime() + 10_000_000_000L;
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Thread.sleep(50);
            } catch (IOException e) {
                refused = true;
            }
        }
        assertTrue(refused, "deactivation closes the simulator's port");
    }
}
