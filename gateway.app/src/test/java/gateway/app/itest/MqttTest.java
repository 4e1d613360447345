package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.AuditLog;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.MqttStatus;

/**
 * gateway.core.mqtt inside Felix: configured through ConfigAdmin (pid gateway.mqtt), it announces an IDM device
 * (simulator on loopback) to Home Assistant on a real Mosquitto and takes a command through the real manager's write
 * path, audited as "mqtt".
 */
@ExtendWith(ServiceExtension.class)
class MqttTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final DeviceConfig CIRCUIT_A = DeviceConfig.of(List.of("A"), List.of());
    static final ObjectMapper JSON = new ObjectMapper();

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    HeatpumpManager manager;

    @InjectService
    AuditLog audit;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    @InjectService(cardinality = 0)
    ServiceAware<MqttStatus> mqtt;

    private Process broker;
    private Path brokerDir;
    private Configuration config;
    private HeatpumpSimulator.Running sim;
    private String hp;
    private MqttClient client;
    private boolean writesBefore;

    @AfterEach
    void cleanUp() throws Exception {
        if (client != null && client.isConnected()) {
            client.disconnect(1000);
        }
        if (hp != null) {
            manager.delete(hp);
        }
        if (sim != null) {
            sim.close();
        }
        manager.setWriteEnabled(writesBefore, "itest");
        if (config != null) {
            config.delete();
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor();
        }
    }

    /** Mosquitto (.ci/setup.d/mosquitto.sh) with a generated configuration on a free loopback port. */
    private int startBroker() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        brokerDir = Files.createTempDirectory("itest-mosquitto");
        Path conf = brokerDir.resolve("mosquitto.conf");
        Files.write(conf, List.of("listener " + port + " 127.0.0.1", "allow_anonymous true", "persistence false",
                "user " + System.getProperty("user.name")));
        String binary = new File("/usr/sbin/mosquitto").canExecute() ? "/usr/sbin/mosquitto" : "mosquitto";
        broker = new ProcessBuilder(binary, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(brokerDir.resolve("log").toFile()).start();
        int p = port;
        Await.until("mosquitto listening", WAIT, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p), 200);
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        return port;
    }

    @Test
    void announcesAnIdmDeviceToHomeAssistantAndTakesACommandThroughTheWritePath() throws Exception {
        writesBefore = manager.writeEnabled();
        int port = startBroker();
        Map<String, String> received = new ConcurrentHashMap<>();
        client = new MqttClient("tcp://127.0.0.1:" + port, "itest-observer", new MemoryPersistence());
        client.connect(new MqttConnectOptions());
        client.subscribe(new String[] { "homeassistant/#", "itest/#" }, new int[] { 1, 1 },
                new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {
                        (t, m) -> received.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)),
                        (t, m) -> received.put(t, new String(m.getPayload(), StandardCharsets.UTF_8)) });

        config = configAdmin.getConfiguration("gateway.mqtt", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("broker.url", "tcp://127.0.0.1:" + port);
        props.put("topic.prefix", "itest");
        props.put("commands.enabled", true);
        config.update(props);
        Await.until("the bridge connected", WAIT, () -> mqtt.getServices().stream()
                .anyMatch(s -> s.status().state().equals("connected") && s.status().topicPrefix().equals("itest")));

        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        sim = idm.start(0, CIRCUIT_A);
        hp = manager.create(new Heatpump(null, "Plant room", "idm", "navigator_2_0",
                new ConnectionConfig("127.0.0.1", sim.port(), 1), CIRCUIT_A, 1, true, null, null)).id();

        MqttStatus status = mqtt.getService();
        String gatewayNode = "hpgw_" + status.status().clientId().substring("heatpump-gateway-".length());
        String node = gatewayNode + "_" + hp;
        String dhwConfig = "homeassistant/number/" + node + "/temp_water_target/config";
        String outdoorConfig = "homeassistant/sensor/" + node + "/temp_outside/config";
        Await.until("HA discovery of the IDM device", WAIT,
                () -> received.containsKey(dhwConfig) && received.containsKey(outdoorConfig));
        JsonNode dhw = JSON.readTree(received.get(dhwConfig));
        assertEquals(35, dhw.get("min").asInt());
        assertEquals(95, dhw.get("max").asInt());
        assertEquals("itest/" + hp + "/temp_water_target/set", dhw.get("command_topic").asText());
        JsonNode device = dhw.get("device");
        assertEquals("Plant room", device.get("name").asText());
        assertEquals(gatewayNode, device.get("via_device").asText());
        JsonNode outdoor = JSON.readTree(received.get(outdoorConfig));
        assertEquals("temperature", outdoor.get("device_class").asText());
        assertEquals("°C", outdoor.get("unit_of_measurement").asText());
        Await.until("values and availability", WAIT, () -> received.containsKey("itest/" + hp + "/temp_outside")
                && "online".equals(received.get("itest/" + hp + "/availability")));

        manager.setWriteEnabled(true, "itest");
        MqttMessage command = new MqttMessage("47".getBytes(StandardCharsets.UTF_8));
        command.setQos(1);
        client.publish("itest/" + hp + "/temp_water_target/set", command);
        String resultTopic = "itest/" + hp + "/temp_water_target/set/result";
        Await.until("the command's result", WAIT, () -> received.containsKey(resultTopic));
        JsonNode result = JSON.readTree(received.get(resultTopic));
        assertEquals("ok", result.get("status").asText(), result.toString());
        List<AuditLog.Entry> byMqtt = audit.recent(hp, 50).stream().filter(e -> e.actor().equals("mqtt")).toList();
        assertEquals(1, byMqtt.size(), byMqtt.toString());
        assertEquals(47.0, byMqtt.get(0).newValue());
        Await.until("the device holds 47", WAIT, () -> {
            try {
                var s = manager.latest(hp).orElse(null);
                return s != null && s.reading("temp_water_target") != null
                        && Double.valueOf(47.0).equals(s.reading("temp_water_target").value());
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(status.status().commandsAccepted() >= 1);
    }
}
