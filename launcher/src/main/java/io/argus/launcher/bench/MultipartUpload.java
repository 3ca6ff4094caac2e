package io.argus.launcher.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A {@code multipart/form-data} request (RFC 7578) with one file part streamed from disk (never held
 * in memory, so multi-gigabyte uploads work) and text fields, for the benchmarks' uploads.
 */
final class MultipartUpload {

    private MultipartUpload() {
    }

    /**
     * @param url       where to POST
     * @param fileField the file part's name, e.g. {@code video}
     * @param file      the file to upload
     * @param fields    text fields, in order
     * @param timeout   the request's timeout
     * @return the request
     * @throws IOException when the file cannot be read
     */
    static HttpRequest post(String url, String fileField, Path file, Map<String, String> fields, Duration timeout)
            throws IOException {
        String boundary = "argus-bench-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + fileField + "\"; filename=\"" + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
        parts.add(HttpRequest.BodyPublishers.ofFile(file));
        for (Map.Entry<String, String> f : fields.entrySet()) {
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                    + f.getKey() + "\"\r\n\r\n" + f.getValue()));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new))).build();
    }
}
