package io.argus.edge.faces;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The best face of a trace, as the media spec's {@code representative-face} selects it: stage 1,
 * the {@value #TOP} faces of largest {@code area × confidence} ({@code quality_score}); stage 2, of
 * those, the least blurry by FFmpeg's {@code blurdetect} ({@code blur_score}, lower is sharper),
 * measured on the face box cut from its stored frame and scaled to {@value #BLUR_SIDE}×{@value #BLUR_SIDE}
 * px (the measure is a mean edge width in pixels, so unscaled a smaller face would look sharper; a
 * flat crop measures NaN and comes last). Faces whose frame is gone are skipped. A
 * selection is cached per trace and face count, so a finished trace is measured once.
 */
final class RepresentativeFaces {

    /** Faces kept by the first stage (media spec: "top 10"). */
    static final int TOP = 10;
    /** Side the crops are scaled to before the blur measure, px (the aligned face size of face_embed). */
    static final int BLUR_SIDE = 112;
    /** Traces whose selection is cached (the oldest entries are dropped past this). */
    static final int CACHE = 4096;

    /**
     * The chosen face.
     *
     * @param face    the face
     * @param quality area × confidence, px²
     * @param blur    blurdetect score, lower is sharper
     */
    record Choice(FaceView.Face face, double quality, double blur) {
    }

    private final FaceCrops crops;
    private final FaceBackend backend;
    private final Map<String, Choice> cache = new ConcurrentHashMap<>();

    RepresentativeFaces(FaceCrops crops, FaceBackend backend) {
        this.crops = crops;
        this.backend = backend;
    }

    /**
     * @param jobId   the trace's job
     * @param traceId the trace
     * @param faces   its faces
     * @return the representative face, empty when no face's frame is stored
     * @throws IOException when the frame store fails
     */
    Optional<Choice> of(String jobId, long traceId, List<FaceView.Face> faces) throws IOException {
        String key = jobId + "/" + traceId + "/" + faces.size();
        Choice cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        List<FaceView.Face> top = new ArrayList<>(faces);
        top.sort(Comparator.comparingDouble((FaceView.Face f) -> -quality(f)).thenComparingLong(FaceView.Face::seq));
        Choice best = null;
        for (FaceView.Face f : top.subList(0, Math.min(TOP, top.size()))) {
            Optional<BufferedImage> frame = crops.frame(f);
            if (frame.isEmpty()) {
                continue;
            }
            BufferedImage box = FaceCrops.box(frame.get(), f);
            if (box.getWidth() < 8 || box.getHeight() < 8) {
                continue;
            }
            double blur = backend.blur(scaled(box));
            if (Double.isNaN(blur)) {
                blur = Double.POSITIVE_INFINITY;
            }
            if (best == null || blur < best.blur()) {
                best = new Choice(f, quality(f), blur);
            }
        }
        if (best != null) {
            if (cache.size() >= CACHE) {
                cache.clear();
            }
            cache.put(key, best);
        }
        return Optional.ofNullable(best);
    }

    private static BufferedImage scaled(BufferedImage box) {
        BufferedImage out = new BufferedImage(BLUR_SIDE, BLUR_SIDE, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(box, 0, 0, BLUR_SIDE, BLUR_SIDE, null);
        g.dispose();
        return out;
    }

    /** @return the first stage's score: box area (px²) × detection confidence */
    static double quality(FaceView.Face f) {
        return f.area() * (double) f.score();
    }
}
