package io.argus.launcher;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Multipart requests for the upload tests. */
final class MultipartRequests {

    private MultipartRequests() {
    }

    /**
     * @param base   the server's base URL
     * @param path   the upload path
     * @param file   the file streamed as the part {@code video}, or null for none
     * @param fields text fields, name then value
     * @return a multipart/form-data POST
     */
    static HttpRequest multipart(String base, String path, Path file, String... fields) throws Exception {
        String boundary = "argus-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        if (file != null) {
            parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; "
                    + "name=\"video\"; filename=\"" + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
            parts.add(HttpRequest.BodyPublishers.ofFile(file));
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n"));
        }
        for (int i = 0; i < fields.length; i += 2) {
            parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                    + fields[i] + "\"\r\n\r\n" + fields[i + 1] + "\r\n"));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new))).build();
    }
}
