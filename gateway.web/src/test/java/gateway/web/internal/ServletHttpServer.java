package gateway.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A real HTTP server on 127.0.0.1 (the JDK's) that hands each exchange to the servlet as if it were mounted at
 * {@code /api/*}. Only the request/response methods the API uses are bridged; any other call fails loudly, so a
 * servlet change that needs more shows up here instead of passing by accident.
 */
final class ServletHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ApiServlet servlet;

    ServletHttpServer(ApiServlet servlet) throws IOException {
        this.servlet = servlet;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals(ApiServlet.MOUNT) && !path.startsWith(ApiServlet.MOUNT + "/")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int[] status = {200};
            HttpServletRequest request = request(exchange, path);
            HttpServletResponse response = response(headers, body, status);
            servlet.service(request, response);
            // like Jetty, consume what the servlet left unread so the client gets the early answer (413)
            exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
            headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] bytes = body.toByteArray();
            exchange.sendResponseHeaders(status[0], bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (Exception e) {
            e.printStackTrace();
            throw new IOException(e);
        }
    }

    private static HttpServletRequest request(HttpExchange exchange, String path) {
        String pathInfo = path.length() > ApiServlet.MOUNT.length() ? path.substring(ApiServlet.MOUNT.length())
                : null;
        Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
        InputStream in = exchange.getRequestBody();
        ServletInputStream servletIn = new ServletInputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "getMethod" -> exchange.getRequestMethod();
            case "getPathInfo" -> pathInfo;
            case "getRequestURI" -> path;
            case "getHeader" -> exchange.getRequestHeaders().getFirst((String) args[0]);
            case "getParameter" -> params.get((String) args[0]);
            case "getContentType" -> exchange.getRequestHeaders().getFirst("Content-Type");
            case "getContentLengthLong" -> {
                String length = exchange.getRequestHeaders().getFirst("Content-Length");
                yield length == null ? -1L : Long.parseLong(length);
            }
            case "getInputStream" -> servletIn;
            case "getRemoteAddr" -> exchange.getRemoteAddress().getAddress().getHostAddress();
            case "isSecure" -> false;
            case "toString" -> "request " + path;
            default -> throw new UnsupportedOperationException("request." + method.getName());
        };
        return (HttpServletRequest) Proxy.newProxyInstance(ServletHttpServer.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, handler);
    }

    private static HttpServletResponse response(Map<String, String> headers, ByteArrayOutputStream body,
                                                int[] status) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "setStatus" -> {
                status[0] = (Integer) args[0];
                yield null;
            }
            case "setHeader" -> {
                headers.put((String) args[0], (String) args[1]);
                yield null;
            }
            case "setContentType" -> {
                headers.put("Content-Type", (String) args[0]);
                yield null;
            }
            case "setContentLength" -> null;
            case "getOutputStream" -> out;
            case "toString" -> "response";
            default -> throw new UnsupportedOperationException("response." + method.getName());
        };
        return (HttpServletResponse) Proxy.newProxyInstance(ServletHttpServer.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, handler);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            List<String> kv = List.of(pair.split("=", 2));
            String key = URLDecoder.decode(kv.get(0), StandardCharsets.UTF_8);
            String value = kv.size() > 1 ? URLDecoder.decode(kv.get(1), StandardCharsets.UTF_8) : "";
            out.putIfAbsent(key, value);
        }
        return out;
    }
}
