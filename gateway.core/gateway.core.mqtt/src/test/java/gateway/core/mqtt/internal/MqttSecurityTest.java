package gateway.core.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.Heatpump;
import gateway.core.api.MqttStatus;

/** Password-file authentication and TLS with a self-signed certificate, against a real Mosquitto. */
class MqttSecurityTest {

    static final String PASSWORD = "s3cret-Pa55";

    @TempDir
    Path dir;

    static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + ": " + new String(p.getInputStream().readAllBytes()));
        }
    }

    /** A self-signed server certificate for 127.0.0.1, made with openssl. */
    static Path[] certificate(Path dir) throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out",
                "cert.pem", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        return new Path[] { dir.resolve("cert.pem"), dir.resolve("key.pem") };
    }

    @Test
    void aWrongPasswordIsUnauthorizedWithoutTheSecretAnywhereAndTheRightOneConnects() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.broker.users("gateway", PASSWORD).start();
            f.startManager();
            Heatpump hp = f.device("Basement");
            f.bridge(Map.of("username", "gateway", "password", "wrong-" + PASSWORD));
            Fixture.await("unauthorized", Duration.ofSeconds(30),
                    () -> f.bridge.status().state().equals(MqttStatus.UNAUTHORIZED));
            MqttStatus.Connection s = f.bridge.status();
            assertTrue(s.lastError().contains("user name or password"), s.lastError());
            String json = s.toString();
            assertFalse(json.contains(PASSWORD), json);
            f.manager.removeListener(f.bridge);
            f.bridge.deactivate();

            f.bridge(Map.of("username", "gateway", "password", PASSWORD));
            f.awaitConnected();
            try (Fixture.Subscriber sub = new Fixture.Subscriber(f.broker.url(), "heatpump/#", "gateway", PASSWORD)) {
                assertEquals("online", sub.awaitLast("heatpump/" + hp.id() + "/availability").payload());
            }
            assertFalse(f.bridge.status().toString().contains(PASSWORD));
            assertFalse(MqttSettings.of(Fixture.config(Map.of("password", PASSWORD)), "x").toString()
                    .contains(PASSWORD));
        }
    }

    @Test
    void tlsWithASelfSignedCertificateConnectsWithItsCaFileOrTrustStoreAndNotWithoutThem() throws Exception {
        Path[] cert = certificate(dir);
        run(dir, "keytool", "-importcert", "-noprompt", "-alias", "broker", "-file", cert[0].toString(),
                "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", "changeit");
        try (Fixture f = new Fixture(dir)) {
            f.broker.tls(cert[0], cert[1]).start();
            f.startManager();
            f.device("Basement");
            String url = "ssl://127.0.0.1:" + f.broker.port;

            f.bridge(Map.of("broker_url", url)); // the JVM's CAs do not know a self-signed certificate
            Fixture.await("TLS refused", Duration.ofSeconds(30),
                    () -> f.bridge.status().state().equals(MqttStatus.UNREACHABLE));
            assertTrue(f.bridge.status().lastError().contains("TLS"), f.bridge.status().lastError());
            f.manager.removeListener(f.bridge);
            f.bridge.deactivate();

            f.bridge(Map.of("broker_url", url, "tls_ca_file", cert[0].toString()));
            f.awaitConnected();
            Fixture.await("values published over TLS", () -> f.bridge.status().published() > 5);
            f.manager.removeListener(f.bridge);
            f.bridge.deactivate();

            f.bridge(Map.of("broker_url", url, "tls_truststore", dir.resolve("trust.p12").toString(),
                    "tls_truststore_password", "changeit"));
            f.awaitConnected();
        }
    }

    @Test
    void aConfigurationThatCannotWorkIsMisconfiguredAndNamesTheKey() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.startManager();
            f.bridge(Map.of("broker_url", "http://broker:1883"));
            MqttStatus.Connection s = f.bridge.status();
            assertEquals(MqttStatus.MISCONFIGURED, s.state());
            assertTrue(s.lastError().contains("broker.url"), s.lastError());
            f.manager.removeListener(f.bridge);
            f.bridge.deactivate();

            f.bridge(Map.of("broker_url", "ssl://127.0.0.1:8883", "tls_ca_file", dir.resolve("none.pem").toString(),
                    "topic_prefix", "heat/#"));
            s = f.bridge.status();
            assertEquals(MqttStatus.MISCONFIGURED, s.state());
            assertTrue(s.lastError().contains("tls.ca.file") && s.lastError().contains("topic.prefix"), s.lastError());
            f.manager.removeListener(f.bridge);
            f.bridge.deactivate();

            f.bridge(Map.of("broker_url", ""));
            assertEquals(MqttStatus.DISABLED, f.bridge.status().state());
            assertEquals(List.of(), MqttSettings.of(Fixture.config(Map.of()), "x").problems());
            assertEquals("heatpump-gateway-x", MqttSettings.of(Fixture.config(Map.of()), "x").clientId());
            // the identity in the prefix keeps gateways on one broker apart
            assertEquals("hp/berlin/gw-7", MqttSettings.of(Fixture.config(Map.of("topic_prefix",
                    "hp/{site}/{gateway_id}")), "gw-7", "berlin").topicPrefix());
            assertTrue(MqttSettings.of(Fixture.config(Map.of("topic_prefix", "hp/{site}")), "gw-7", "").problems()
                    .get(0).contains("{site}"));
            assertFalse(Files.exists(dir.resolve("none.pem")));
        }
    }
}
