package io.argus.edge.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's static files, read once from the jar ({@code io/argus/edge/dashboard/} on the
 * class path): plain HTML, CSS and ES modules, no build step and no third-party code.
 *
 * <p>Each file has its content type (from its extension) and a strong ETag (the first 16 bytes of
 * its SHA-256, hex, quoted: RFC 9110 section 8.8.3).
 */
public final class DashboardAssets {

    /** Class-path folder of the files. */
    public static final String FOLDER = "io/argus/edge/dashboard/";
    /** The files served, by name; {@code index.html} is the page at {@code /}. */
    public static final List<String> NAMES = List.of("index.html", "style.css", "app.js", "ui.js", "api.js", "jobs.js",
            "live.js", "chart.js", "segments.js", "files.js", "search.js", "health.js", "icon.svg");

    /** One file: its bytes, content type and ETag. */
    public record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    /**
     * Reads every file of {@link #NAMES}.
     *
     * @throws IllegalStateException when one is missing from the class path (a broken build)
     */
    public DashboardAssets() {
        ClassLoader loader = DashboardAssets.class.getClassLoader();
        for (String name : NAMES) {
            try (InputStream in = loader.getResourceAsStream(FOLDER + name)) {
                if (in == null) {
                    throw new IllegalStateException("dashboard file missing from the class path: " + FOLDER + name);
                }
                byte[] bytes = in.readAllBytes();
                assets.put(name, new Asset(bytes, contentType(name), etag(bytes)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the dashboard file " + name, e);
            }
        }
    }

    /**
     * @param name a file name such as {@code app.js}
     * @return the file, empty when it is not one of {@link #NAMES}
     */
    public Optional<Asset> get(String name) {
        return Optional.ofNullable(assets.get(name));
    }

    /**
     * @param name a file name
     * @return its content type: HTML, CSS and SVG as such, {@code .js} as {@code text/javascript}
     *         (RFC 9239, what module scripts need), UTF-8
     */
    static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        switch (ext) {
            case "html":
                return "text/html;charset=utf-8";
            case "css":
                return "text/css;charset=utf-8";
            case "js":
                return "text/javascript;charset=utf-8";
            case "svg":
                return "image/svg+xml";
            default:
                return "application/octet-stream";
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
