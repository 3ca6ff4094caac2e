package io.argus.analyzer.ops.remote;

import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;

/**
 * Ops of kind {@value #KIND}: each frame is POSTed to an HTTP inference service and its answer
 * mapped to labels, detections and the raw result, in the original Argus Serving eval protocol
 * ({@link ArgusEvalProtocol}) or the KServe v2 inference protocol ({@link KServeV2Protocol}).
 * Configured by an entry of the ops config file, see {@link RemoteConfig}.
 *
 * <p>Per frame: a connect timeout and an answer timeout ({@code connect_timeout_ms},
 * {@code timeout_ms}), one retry when the service answers 5xx or the connection fails, no retry
 * after an answer timeout. Any failure (unreachable, timeout, HTTP error, {@code code} ≠ 0, an
 * answer that does not map) raises {@link RemoteException} with the endpoint and the reason; the
 * analyzer records it as that frame's {@code error} and the job goes on.
 *
 * <p>One {@link java.net.http.HttpClient} per provider, shared by the op instances of every
 * analyzer thread.
 */
public final class RemoteOpProvider implements OpProvider {

    /** The {@code kind} of remote ops in the ops config file. */
    public static final String KIND = "remote";

    private final RemoteConfig config;
    private final HttpPoster poster;

    /** @param config the op's configuration */
    public RemoteOpProvider(RemoteConfig config) {
        this.config = config;
        this.poster = new HttpPoster(config.connectTimeoutMs(), config.timeoutMs(), config.retryDelayMs());
    }

    /**
     * @param node the op's entry of the ops config file
     * @return its provider
     * @throws IllegalArgumentException when the entry is incomplete or invalid (see {@link RemoteConfig#fromJson})
     */
    public static RemoteOpProvider fromConfig(JsonNode node) {
        return new RemoteOpProvider(RemoteConfig.fromJson(node));
    }

    /** @return the configuration */
    public RemoteConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public List<String> labels() {
        return config.labels();
    }

    @Override
    public Op create() {
        RemoteProtocol protocol = config.protocol() == RemoteConfig.Protocol.KSERVE_V2
                ? new KServeV2Protocol(config) : new ArgusEvalProtocol(config);
        return new RemoteOp(protocol, poster);
    }

    /** One thread's remote op: its own protocol state, the provider's HTTP client. */
    private static final class RemoteOp implements Op {

        private final RemoteProtocol protocol;
        private final HttpPoster poster;

        RemoteOp(RemoteProtocol protocol, HttpPoster poster) {
            this.protocol = protocol;
            this.poster = poster;
        }

        @Override
        public OpOutput apply(Mat bgr) throws Exception {
            return apply(bgr, null);
        }

        /**
         * @param bgr     the frame, 8-bit BGR
         * @param context the frame event and stored JPEG, or null (the frame is then encoded here)
         * @return the mapped answer
         * @throws RemoteException      when the call fails or the answer cannot be mapped
         * @throws InterruptedException when interrupted while waiting for the service
         */
        @Override
        public OpOutput apply(Mat bgr, OpContext context) throws Exception {
            byte[] request = protocol.request(bgr, context);
            HttpPoster.Answer answer = poster.post(protocol.endpoint(), request);
            return protocol.answer(answer, bgr.cols(), bgr.rows());
        }

        @Override
        public void close() {
            // the HTTP client belongs to the provider; nothing native is held
        }
    }
}
