package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletRequest;

class MetricsServletTest {

    static HttpServletRequest request(String remote, String authorization) {
        return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (p, m, a) -> switch (m.getName()) {
                    case "getRemoteAddr" -> remote;
                    case "getHeader" -> "Authorization".equalsIgnoreCase((String) a[0]) ? authorization : null;
                    default -> null;
                });
    }

    private static MetricsServlet servlet(String token, String... addresses) {
        MetricsServlet s = new MetricsServlet(out -> { }, new MetricsServlet.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return MetricsServlet.Config.class;
            }

            @Override
            public String bearer_token() {
                return token;
            }

            @Override
            public String[] allowed_addresses() {
                return addresses;
            }
        });
        return s;
    }

    @Test
    void byDefaultOnlyLoopbackMayScrape() {
        MetricsServlet s = servlet("", "127.0.0.1", "::1");
        assertTrue(s.permitted(request("127.0.0.1", null)));
        assertTrue(s.permitted(request("0:0:0:0:0:0:0:1", null)));
        assertFalse(s.permitted(request("192.0.2.7", null)));
        assertFalse(s.permitted(request("192.0.2.7", "Bearer anything")), "no token configured: none accepted");
    }

    @Test
    void aBearerTokenLetsAScraperInFromAnywhere() {
        MetricsServlet s = servlet("s3cret");
        assertTrue(s.permitted(request("192.0.2.7", "Bearer s3cret")));
        assertFalse(s.permitted(request("192.0.2.7", "Bearer wrong")));
        assertFalse(s.permitted(request("127.0.0.1", null)), "an empty allow-list admits no address");
    }

    @Test
    void rangesAndWildcard() {
        MetricsServlet s = servlet("", "10.1.0.0/16, 2001:db8::/32");
        assertTrue(s.permitted(request("10.1.200.3", null)));
        assertFalse(s.permitted(request("10.2.0.1", null)));
        assertTrue(s.permitted(request("2001:db8:0:0:0:0:0:5", null)));
        assertFalse(s.permitted(request("host.example", null)), "names are never resolved");
        assertTrue(servlet("", "*").permitted(request("203.0.113.9", null)));
    }
}
