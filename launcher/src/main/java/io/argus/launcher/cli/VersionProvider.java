package io.argus.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code argus --version}: the project version, from {@code argus-version.properties} beside this
 * class (a resource the build fills in with the Maven project version), and the Java runtime.
 */
public final class VersionProvider implements IVersionProvider {

    /** @return the project version, e.g. {@code 0.1.0-SNAPSHOT}, or "unknown" when the resource is missing */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("argus-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"argus " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
