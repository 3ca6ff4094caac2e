package io.argus.edge.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import io.swagger.v3.oas.models.info.Info;

/**
 * The {@code info} of the edge's OpenAPI document: title "Argus" and the version of this build,
 * read from {@code argus.properties} next to this class (written by Maven resource filtering from
 * the project version).
 */
public final class ArgusInfo {

    /** The document's title. */
    public static final String TITLE = "Argus";
    /** The version when the build wrote none (a class path without the filtered resource). */
    public static final String UNKNOWN = "unknown";

    private ArgusInfo() {
    }

    /** @return {@code {"title": "Argus", "version": version()}} plus a one-line description */
    public static Info info() {
        return new Info().title(TITLE).version(version())
                .description("Kafka-native video analysis: jobs, frame & flow extraction, the schema registry facade.");
    }

    /**
     * @return the project version, e.g. {@code 0.1.0-SNAPSHOT}; {@value #UNKNOWN} when the resource is
     *         missing or was not filtered
     * @throws UncheckedIOException when the resource exists but cannot be read
     */
    public static String version() {
        try (InputStream in = ArgusInfo.class.getResourceAsStream("argus.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").strip();
            return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read argus.properties", e);
        }
    }
}
