package gateway.app.itest;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Reports failures of test containers (a class's {@code @BeforeAll} or {@code @AfterAll}, an engine) as JUnit XML
 * beside the tester's own report.
 *
 * <p>Why: the bnd tester exits with JUnit's total failure count, which includes failed containers, but its XML report
 * (JUnit's legacy format) has no place for an {@code @AfterAll} that threw after every test passed. CI then saw
 * "exit code 1, 0 failed" and nothing to look at. The tester hands every {@link TestExecutionListener} service
 * registered when the run starts to the launcher, so this bundle activator registers one.
 */
public final class ContainerFailureReport implements BundleActivator, TestExecutionListener {

    private final List<String[]> failures = new ArrayList<>();
    private ServiceRegistration<TestExecutionListener> registration;
    private Path reportDir;

    @Override
    public void start(BundleContext context) {
        String dir = context.getProperty("tester.dir");
        reportDir = dir == null ? null : Path.of(dir);
        registration = context.registerService(TestExecutionListener.class, this, null);
    }

    @Override
    public void stop(BundleContext context) {
        if (registration != null) {
            registration.unregister();
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isContainer() || result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return;
        }
        StringWriter trace = new StringWriter();
        result.getThrowable().ifPresent(t -> t.printStackTrace(new PrintWriter(trace)));
        String message = result.getThrowable().map(Throwable::toString).orElse(result.getStatus().toString());
        failures.add(new String[] {id.getLegacyReportingName(), message, trace.toString()});
        System.err.println("CONTAINER FAILED " + id.getLegacyReportingName() + ": " + trace);
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        if (failures.isEmpty() || reportDir == null) {
            return;
        }
        try {
            Files.createDirectories(reportDir);
            try (Writer out = Files.newBufferedWriter(reportDir.resolve("TEST-containers.xml"), StandardCharsets.UTF_8)) {
                XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
                xml.writeStartDocument("UTF-8", "1.0");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", "test containers (@BeforeAll, @AfterAll, engines)");
                xml.writeAttribute("tests", Integer.toString(failures.size()));
                xml.writeAttribute("failures", "0");
                xml.writeAttribute("errors", Integer.toString(failures.size()));
                xml.writeAttribute("skipped", "0");
                for (String[] f : failures) {
                    xml.writeStartElement("testcase");
                    xml.writeAttribute("classname", f[0]);
                    xml.writeAttribute("name", "[container]");
                    xml.writeStartElement("error");
                    xml.writeAttribute("message", f[1]);
                    xml.writeCharacters(f[2]);
                    xml.writeEndElement();
                    xml.writeEndElement();
                }
                xml.writeEndElement();
                xml.writeEndDocument();
                xml.close();
            }
        } catch (IOException | XMLStreamException e) {
            System.err.println("could not write the container failure report: " + e);
        }
    }
}
