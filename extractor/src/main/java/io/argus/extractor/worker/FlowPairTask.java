package io.argus.extractor.worker;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import javax.imageio.ImageIO;

import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.extractor.flow.DisPreset;
import io.argus.extractor.flow.FloFile;
import io.argus.extractor.flow.FlowAlgorithm;
import io.argus.extractor.flow.FlowComputer;
import io.argus.extractor.flow.FlowPolar;
import io.argus.extractor.flow.FlowSettings;
import io.argus.extractor.flow.FlowStats;
import io.argus.extractor.flow.FlowVisualizer;
import io.argus.extractor.flow.NativeFlow;
import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.pgm.Pgm;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.FlowPair;
import io.argus.schemas.avro.FlowSpec;

/**
 * The flow work on one {@link FlowPair}: reads both frames from the frame store (8-bit gray PGM as
 * ingest writes them; JPEG is still read), computes dense flow with the pair's settings, stores the field as a Middlebury {@code .flo} file and its HSV
 * colour visualisation as a JPEG ({@code extractions/<request>/<seq>.flo}, {@code …-flow.jpg}),
 * and returns the index item with the summary statistics. One task per thread: it keeps a
 * {@link FlowComputer} per flow setting (each holding its own per-resolution DIS instances).
 *
 * <p>The field never leaves native memory: the {@code .flo} is written from OpenCV's output Mat
 * ({@link FloFile#buffers}), and one native magnitude/angle pass ({@link FlowPolar}) feeds both
 * the picture and the statistics. The frames are decoded into Mats kept from pair to pair.
 */
public final class FlowPairTask implements AutoCloseable {

    private final FrameStore store;
    private final Map<FlowSettings, FlowComputer> computers = new HashMap<>();
    private final JpegEncoder encoder = new JpegEncoder();
    private final FlowVisualizer visualizer = new FlowVisualizer();
    private final FlowPolar polar = new FlowPolar();
    private final Mat first = new Mat();
    private final Mat second = new Mat();
    private final Java2DFrameConverter firstFrame = new Java2DFrameConverter();
    private final Java2DFrameConverter secondFrame = new Java2DFrameConverter();

    /**
     * A task for one thread; its native buffers are freed by {@link #close()}.
     *
     * @param store where the pairs' frames are read and the flow artefacts stored
     */
    public FlowPairTask(FrameStore store) {
        this.store = store;
    }

    /**
     * Computes, stores and indexes the flow of one pair (not thread-safe: one task per thread).
     *
     * @param pair the pair
     * @return the FLOW index item
     * @throws IOException when a frame cannot be read or an artefact cannot be stored
     * @throws IllegalArgumentException for unknown flow settings or an undecodable frame
     */
    public ExtractedItem process(FlowPair pair) throws IOException {
        FlowSettings settings = settings(pair.getFlow());
        FlowComputer computer = computers.computeIfAbsent(settings, FlowComputer::new);
        NativeFlow flow;
        if (isPgm(pair.getUri()) && isPgm(pair.getPairUri())) {
            Pgm.decode(store.get(URI.create(pair.getUri())), first);
            Pgm.decode(store.get(URI.create(pair.getPairUri())), second);
            flow = computer.computeNative(first, second);
        } else {
            flow = computer.computeNative(decode(pair.getUri(), firstFrame), decode(pair.getPairUri(), secondFrame));
        }
        String request = pair.getRequestId();
        // the .flo straight from the flow's native memory; then one magnitude/angle pass for picture and statistics
        URI flo = store.put(StoreKeys.extraction(request, pair.getSeq(), ".flo"), FloFile.buffers(flow));
        polar.compute(flow);
        URI viz = store.put(StoreKeys.extraction(request, pair.getSeq(), "-flow.jpg"),
                visualizer.renderJpeg(polar, encoder));
        FlowStats stats = FlowStats.of(polar);
        return ExtractedItem.newBuilder()
                .setRequestId(request).setKind(ExtractionKind.FLOW).setVideoId(pair.getVideoId())
                .setPattern(pair.getPattern()).setSeq(pair.getSeq()).setOffsetMs(pair.getOffsetMs())
                .setUri(flo.toString()).setWidth(flow.width()).setHeight(flow.height())
                .setFrameUri(pair.getUri()).setPairOffsetMs(pair.getPairOffsetMs())
                .setVisualizationUri(viz.toString()).setAlgorithm(settings.label())
                .setStats(io.argus.schemas.avro.FlowStats.newBuilder()
                        .setMeanPx(stats.meanMagnitude()).setP95Px(stats.p95Magnitude())
                        .setMovingFraction(stats.movingFraction())
                        .setDirectionDeg(stats.hasDirection() ? stats.dominantDirection() : null).build())
                .setCreatedAt(System.currentTimeMillis()).build();
    }

    /**
     * @param spec the request's flow spec
     * @return the library settings
     * @throws IllegalArgumentException for an unknown algorithm or preset, or a scale outside (0, 1]
     */
    public static FlowSettings settings(FlowSpec spec) {
        FlowAlgorithm algorithm = FlowAlgorithm.valueOf(spec.getAlgorithm().toUpperCase(Locale.ROOT));
        FlowSettings s = algorithm == FlowAlgorithm.DIS
                ? FlowSettings.dis(DisPreset.valueOf(spec.getPreset().toUpperCase(Locale.ROOT)))
                : FlowSettings.farneback();
        return s.withScale(spec.getScale());
    }

    private static boolean isPgm(String uri) {
        return uri.endsWith(".pgm");
    }

    /**
     * Decodes a stored JPEG (pairs written before frames were stored as PGM) with ImageIO (Debian's
     * libjpeg-turbo, SIMD; OpenCV's bundled libjpeg has none, DESIGN.md) into a BGR24 frame over the image's own buffer.
     */
    private Frame decode(String uri, Java2DFrameConverter converter) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(store.get(URI.create(uri))));
        if (image == null) {
            throw new IllegalArgumentException("not a decodable image: " + uri);
        }
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            bgr.getGraphics().drawImage(image, 0, 0, null);
            image = bgr;
        }
        return converter.convert(image);
    }

    @Override
    public void close() {
        computers.values().forEach(FlowComputer::close);
        computers.clear();
        encoder.close();
        visualizer.close();
        polar.close();
        first.close();
        second.close();
    }
}
