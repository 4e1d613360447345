package gateway.app.itest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Debian's headless Chromium driven over the Chrome DevTools Protocol with the JDK's own WebSocket client: no
 * WebDriver, nothing to add to the framework. One browser, one page; JavaScript problems (exceptions, CSP violations,
 * console errors) are collected so a test can assert there were none.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The browser binary: {@code chromium} from .ci/setup.d/chromium.sh; a clear failure when it is missing. */
    static String binary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("no Chromium found: run .ci/setup.d/chromium.sh (installs Debian's chromium)");
    }

    static HeadlessChromium start() throws Exception {
        Path profile = Files.createTempDirectory("gw-chromium");
        List<String> cmd = List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                "--mute-audio", "--hide-scrollbars", "--lang=en-US", "--accept-lang=en-US", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "--window-size=1280,900", "about:blank");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path activePort = profile.resolve("DevToolsActivePort");
            String port = Await.value("Chromium's DevToolsActivePort", Duration.ofSeconds(30), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("chromium exited: " + log(profile));
                }
                try {
                    List<String> lines = Files.exists(activePort) ? Files.readAllLines(activePort) : List.of();
                    return lines.size() >= 2 ? lines.get(0).trim() : null;
                } catch (IOException e) {
                    return null;
                }
            });
            HttpClient http = HttpClient.newHttpClient();
            String page = Await.value("a page target", Duration.ofSeconds(15), () -> {
                try {
                    String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                            .build(), HttpResponse.BodyHandlers.ofString()).body();
                    for (JsonNode t : JSON.readTree(list)) {
                        if (t.path("type").asText().equals("page")) {
                            return t.path("webSocketDebuggerUrl").asText();
                        }
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            });
            Listener listener = new Listener();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(page), listener).get(15, TimeUnit.SECONDS);
            HeadlessChromium browser = new HeadlessChromium(process, profile, ws);
            listener.browser = browser;
            browser.call("Page.enable", Map.of());
            browser.call("Runtime.enable", Map.of());
            browser.call("Log.enable", Map.of());
            browser.call("Network.enable", Map.of());
            return browser;
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String log(Path profile) {
        try {
            return Files.readString(profile.resolve("chromium.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** One CDP command; its result or an AssertionError with the protocol's error. */
    JsonNode call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        try {
            socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
            JsonNode r = reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new AssertionError(method + " failed: " + r.get("error"));
            }
            return r.path("result");
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(method + " failed: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    private void onMessage(String text) {
        try {
            JsonNode m = JSON.readTree(text);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.get(m.get("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
                return;
            }
            String method = m.path("method").asText();
            JsonNode p = m.path("params");
            if (method.equals("Runtime.exceptionThrown")) {
                JsonNode d = p.path("exceptionDetails");
                problems.add("exception: " + d.path("exception").path("description").asText(d.path("text").asText()));
            } else if (method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")
                    // a refused login or an expired session is a 401 the page handles; the network log still says so
                    && !p.path("entry").path("source").asText().equals("network")) {
                problems.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
            } else if (method.equals("Runtime.consoleAPICalled") && p.path("type").asText().equals("error")) {
                problems.add("console.error: " + p.path("args"));
            }
        } catch (IOException e) {
            problems.add("unreadable CDP message: " + e);
        }
    }

    /** Every request carries these headers (e.g. HTTP Basic while a gateway has no session login). */
    void extraHeaders(Map<String, String> headers) {
        call("Network.setExtraHTTPHeaders", Map.of("headers", headers));
    }

    void viewport(int width, int height, boolean mobile) {
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", mobile));
    }

    void navigate(String url) {
        call("Page.navigate", Map.of("url", url));
    }

    /** Evaluates an expression in the page (promises awaited) and returns its JSON value. */
    JsonNode eval(String expression) {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("page script failed: " + expression + "\n" + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    String text(String selector) {
        return eval("(() => { const e = document.querySelector(" + quote(selector) + "); return e ? e.textContent : null; })()")
                .asText(null);
    }

    boolean exists(String selector) {
        return eval("!!document.querySelector(" + quote(selector) + ")").asBoolean();
    }

    /** Waits until the element exists and is visible, then returns its text. */
    String waitFor(String selector, Duration timeout) {
        try {
            return Await.value(selector + " on the page", timeout, () -> {
                JsonNode r = eval("(() => { const e = document.querySelector(" + quote(selector)
                        + "); return e && e.getClientRects().length ? e.textContent : null; })()");
                return r.isNull() || r.isMissingNode() ? null : r.asText();
            });
        } catch (AssertionError e) {
            throw withPage(e);
        }
    }

    void waitUntil(String description, String condition, Duration timeout) {
        try {
            Await.until(description, timeout, () -> eval(condition).asBoolean());
        } catch (AssertionError e) {
            throw withPage(e);
        }
    }

    /** A timeout that says where the browser was and what it showed. */
    private AssertionError withPage(AssertionError e) {
        AssertionError out = new AssertionError(e.getMessage() + "\n  at " + url() + "\n  page text: " + bodyText()
                + "\n  problems: " + problems);
        out.initCause(e.getCause());
        return out;
    }

    void click(String selector) {
        waitFor(selector, Duration.ofSeconds(15));
        eval("document.querySelector(" + quote(selector) + ").click()");
    }

    /** Sets an input's value as typing would (input and change events). */
    void type(String selector, String value) {
        waitFor(selector, Duration.ofSeconds(15));
        eval("(() => { const e = document.querySelector(" + quote(selector) + "); e.value = " + quote(value)
                + "; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); })()");
    }

    /** Chooses a file in an {@code <input type=file>} as a user would in the file dialog. */
    void setFile(String selector, Path file) {
        waitFor(selector, Duration.ofSeconds(15));
        call("DOM.enable", Map.of());
        JsonNode r = call("Runtime.evaluate", Map.of("expression", "document.querySelector(" + quote(selector) + ")"));
        call("DOM.setFileInputFiles", Map.of("files", List.of(file.toAbsolutePath().toString()),
                "objectId", r.path("result").path("objectId").asText()));
        eval("document.querySelector(" + quote(selector) + ").dispatchEvent(new Event('change', {bubbles: true}))");
    }

    String url() {
        try {
            return eval("location.href").asText();
        } catch (AssertionError e) {
            return "?";
        }
    }

    String bodyText() {
        try {
            String s = eval("document.body ? document.body.innerText : ''").asText();
            return s.length() > 1500 ? s.substring(0, 1500) + "…" : s;
        } catch (AssertionError e) {
            return "";
        }
    }

    /** Waits until web fonts are loaded and two frames are painted, so a screenshot or a layout check sees the page. */
    void settle() {
        eval("document.fonts.ready.then(() => new Promise(done => requestAnimationFrame("
                + "() => requestAnimationFrame(() => done(true)))))");
    }

    /** A screenshot once the page has settled ({@link #settle}). */
    void settledScreenshot(Path file) throws IOException {
        settle();
        screenshot(file);
    }

    /**
     * Signs in through the console's form on a fresh page load, signing out first when a session is open, and waits
     * for {@code readySelector} (what the signed-in page shows first: {@code #who} is hidden on a phone).
     */
    void signIn(String consoleUrl, String user, String password, String readySelector, Duration timeout) {
        navigate("about:blank");
        waitUntil("the blank page", "location.href === 'about:blank'", timeout);
        navigate(consoleUrl);
        waitUntil("the sign-in form or a signed-in shell", "!!document.querySelector('#login-form, #logout')",
                timeout);
        if (exists("#logout")) {
            click("#logout");
        }
        waitFor("#login-form", timeout);
        type("#login-user", user);
        type("#login-password", password);
        click("#login-form button[type=submit]");
        waitFor(readySelector, timeout);
    }

    void screenshot(Path file) throws IOException {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser goes anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // a temp folder left behind is harmless (a file Chromium removes as it exits ends the walk unchecked)
        }
    }

    /** Collects fragmented text frames into whole CDP messages. */
    private static final class Listener implements WebSocket.Listener {
        volatile HeadlessChromium browser;
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String message = buffer.toString();
                buffer.setLength(0);
                if (browser != null) {
                    browser.onMessage(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
