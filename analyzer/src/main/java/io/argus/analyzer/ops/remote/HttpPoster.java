package io.argus.analyzer.ops.remote;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON to an inference service with {@link HttpClient} (HTTP/1.1): a connect timeout and a
 * request timeout per attempt, and one retry when the service answers 5xx or the connection fails
 * (refused, reset, connect timeout). A request that times out after connecting is not retried, so a
 * frame costs at most about one request timeout (plus a connect timeout) before it fails.
 * Thread-safe: one poster serves every analyzer thread of an op.
 */
final class HttpPoster {

    private static final Logger LOG = LoggerFactory.getLogger(HttpPoster.class);
    /** Attempts per frame: the first and one retry. */
    static final int ATTEMPTS = 2;
    /** Characters of an error body quoted in messages. */
    private static final int EXCERPT = 200;

    private final HttpClient client;
    private final Duration timeout;
    private final long retryDelayMs;

    /**
     * @param connectTimeoutMs TCP connect timeout per attempt, ms, &gt; 0
     * @param timeoutMs        time to wait for the answer per attempt once sent, ms, &gt; 0
     * @param retryDelayMs     pause before the retry, ms, &gt;= 0
     */
    HttpPoster(long connectTimeoutMs, long timeoutMs, long retryDelayMs) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(connectTimeoutMs))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = Duration.ofMillis(timeoutMs);
        this.retryDelayMs = retryDelayMs;
    }

    /**
     * An answer.
     *
     * @param status   HTTP status
     * @param body     the body as text (UTF-8)
     * @param attempts requests made, 1 or 2
     */
    record Answer(int status, String body, int attempts) {

        /** @return true for 2xx */
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /**
     * @param uri  endpoint
     * @param json request body, JSON (UTF-8)
     * @return the last answer: 2xx, 4xx, or 5xx when the retry also got 5xx
     * @throws RemoteException      when no answer came: connection failed twice, or the request timed out
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    Answer post(URI uri, byte[] json) throws RemoteException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= ATTEMPTS;
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                String body = new String(response.body(), StandardCharsets.UTF_8);
                if (status >= 500 && !last) {
                    LOG.debug("POST {}: HTTP {}, retrying", uri, status);
                    pause();
                    continue;
                }
                return new Answer(status, body, attempt);
            } catch (HttpConnectTimeoutException e) {
                if (last) {
                    throw new RemoteException("POST " + uri + ": cannot connect within "
                            + client.connectTimeout().orElseThrow().toMillis() + " ms (" + attempt + " attempts)", e);
                }
            } catch (HttpTimeoutException e) {
                throw new RemoteException("POST " + uri + ": no answer within " + timeout.toMillis()
                        + " ms (timeout_ms)", e);
            } catch (IOException e) {
                if (last) {
                    throw new RemoteException("POST " + uri + ": cannot reach the service (" + attempt + " attempts): "
                            + describe(e), e);
                }
            }
            LOG.debug("POST {}: connection failed, retrying", uri);
            pause();
        }
    }

    private void pause() throws InterruptedException {
        if (retryDelayMs > 0) {
            Thread.sleep(retryDelayMs);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }

    /**
     * @param body an answer body
     * @return its start, for error messages
     */
    static String excerpt(String body) {
        String b = body.strip();
        return b.length() <= EXCERPT ? b : b.substring(0, EXCERPT) + "…";
    }
}
