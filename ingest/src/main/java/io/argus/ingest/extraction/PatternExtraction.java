package io.argus.ingest.extraction;

import java.net.URI;
import java.util.function.BooleanSupplier;

import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.pgm.Pgm;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionState;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.avro.FlowPair;
import io.argus.schemas.kafka.RecordSender;
import io.argus.schemas.net.Redaction;
import io.argus.schemas.topics.ExtractionKeys;
import io.argus.schemas.topics.Topics;

/**
 * Runs one frame or flow extraction request on the ingest decoding path ({@link FrameSampler}
 * with the request's pattern), storing under {@code extractions/<request>/}: a FRAME request stores
 * each sampled frame as a JPEG and indexes it at once (an {@link ExtractedItem} on
 * argus.extracted); a FLOW request stores the sampled frame and the frame {@code gap} decoded
 * frames later as lossless 8-bit gray PGM ({@link Pgm}: the flow's exact input, no JPEG cost or
 * artefacts) and sends the pair to the flow workers (argus.flow-pairs), which index the flow. The request's status goes
 * DOING, then FINISHED with the number of frames (or pairs), or FAILED with the source's error
 * (424 "cannot find the video", 400 "cannot open the file", 500 otherwise).
 */
public final class PatternExtraction {

    private static final Logger LOG = LoggerFactory.getLogger(PatternExtraction.class);

    private final FrameStore store;
    private final RecordSender sender;
    private final Topics topics;
    private final SourceOpener opener;

    /**
     * @param store  where frames go
     * @param sender producer of index items, pairs and statuses
     * @param topics topic registry
     * @param opener opens the request's source, with the process's URL guard and file roots
     */
    public PatternExtraction(FrameStore store, RecordSender sender, Topics topics, SourceOpener opener) {
        this.opener = opener;
        this.store = store;
        this.sender = sender;
        this.topics = topics;
    }

    /**
     * Runs the request to its end.
     *
     * @param request  the request
     * @param shutdown polled between frames; true stops without a final status (the request runs
     *                 again when redelivered)
     * @return frames (or pairs) sent, or -1 when stopped by shutdown
     */
    public long run(ExtractionRequest request, BooleanSupplier shutdown) {
        status(request, ExtractionState.DOING, 0, null);
        long seq = 0;
        ErrorInfo error = null;
        boolean flow = request.getKind() == ExtractionKind.FLOW;
        try (FrameSampler sampler = FrameSampler.open(opener, SourceUri.parse(request.getUri()), ExtractionSampling.of(request));
             JpegEncoder encoder = new JpegEncoder()) {
            SampledFrame frame;
            while ((frame = sampler.next()) != null) {
                if (shutdown.getAsBoolean()) {
                    sender.flush();
                    return -1;
                }
                if (flow && frame.pair() == null) {
                    continue; // the video ended before the pair frame
                }
                Frame image = frame.image();
                if (flow) {
                    URI uri = store.put(StoreKeys.extraction(request.getRequestId(), seq, ".pgm"),
                            Pgm.encodeGray(image));
                    URI pairUri = store.put(StoreKeys.extraction(request.getRequestId(), seq, "-pair.pgm"),
                            Pgm.encodeGray(frame.pair().image()));
                    sender.send(topics.flowPairs(), request.getRequestId(), FlowPair.newBuilder()
                            .setRequestId(request.getRequestId()).setVideoId(request.getVideoId())
                            .setPattern(request.getPattern()).setSeq(seq).setOffsetMs(frame.offsetMs())
                            .setPairOffsetMs(frame.pair().offsetMs()).setUri(uri.toString())
                            .setPairUri(pairUri.toString()).setWidth(image.imageWidth).setHeight(image.imageHeight)
                            .setFlow(request.getFlow()).build());
                } else {
                    URI uri = store.put(StoreKeys.extraction(request.getRequestId(), seq, ".jpg"),
                            encoder.encode(image));
                    sender.send(topics.extracted(), ExtractionKeys.item(ExtractionKind.FRAME, request.getPattern(),
                            request.getVideoId(), request.getRequestId(), seq), ExtractedItem.newBuilder()
                            .setRequestId(request.getRequestId()).setKind(ExtractionKind.FRAME)
                            .setVideoId(request.getVideoId()).setPattern(request.getPattern()).setSeq(seq)
                            .setOffsetMs(frame.offsetMs()).setUri(uri.toString()).setWidth(image.imageWidth)
                            .setHeight(image.imageHeight).setCreatedAt(System.currentTimeMillis()).build());
                }
                seq++;
            }
        } catch (SourceException e) {
            LOG.info("Extraction {}: source {} failed: {} {}", request.getRequestId(), Redaction.forLog(request.getUri()),
                    e.code(),
                    e.getMessage());
            error = new ErrorInfo(e.code(), e.getMessage());
        } catch (Exception e) {
            LOG.error("Extraction {} failed", request.getRequestId(), e);
            error = new ErrorInfo(500, "internal error: " + e.getMessage());
        }
        status(request, error == null ? ExtractionState.FINISHED : ExtractionState.FAILED, seq, error);
        sender.flush();
        LOG.info("Extraction {} ({} {}): {} {} from {}", request.getRequestId(), request.getKind(),
                request.getPattern(), seq, flow ? "pairs" : "frames", Redaction.forLog(request.getUri()));
        return seq;
    }

    private void status(ExtractionRequest r, ExtractionState state, long frames, ErrorInfo error) {
        sender.send(topics.extractionStatus(), r.getRequestId(), ExtractionStatus.newBuilder()
                .setRequestId(r.getRequestId()).setKind(r.getKind()).setVideoId(r.getVideoId()).setUri(r.getUri())
                .setPattern(r.getPattern()).setState(state).setError(error).setFrames(frames)
                .setRequestJson(r.getRequestJson()).setCreatedAt(r.getCreatedAt())
                .setUpdatedAt(System.currentTimeMillis()).build());
    }
}
