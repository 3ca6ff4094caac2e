package io.argus.analyzer.tone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpKinds;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpPlugin;
import io.argus.analyzer.op.OpProvider;
import io.argus.schemas.avro.Label;

/**
 * An op plug-in as a user's jar would ship it, declared in this module's test resources
 * ({@code META-INF/services/io.argus.analyzer.op.OpPlugin}) and nowhere in analyzer's code.
 *
 * <p>Op {@value #NAME}: score = the frame's mean grey level (OpenCV BGR → grey) / 255, in [0, 1];
 * label {@value #LABEL} with that score when it reaches the threshold; no detections; raw result
 * {@code {"tone":<score>}}. It is given when the models directory holds {@value #FILE} (the
 * threshold as text), the way a built-in op is given when its model is installed. Kind
 * {@value #NAME} makes more of them in the ops configuration file:
 * {@code {"name": "...", "kind": "tone", "threshold": 0.9}}.
 */
public final class TonePlugin implements OpPlugin {

    /** Op name and kind. */
    public static final String NAME = "tone";
    /** The op's only label. */
    public static final String LABEL = "bright";
    /** File of the models directory holding the threshold of op {@value #NAME}. */
    public static final String FILE = "tone.txt";

    @Override
    public List<OpProvider> providers(Path modelsDir) {
        Path file = modelsDir.resolve(FILE);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            double threshold = Double.parseDouble(Files.readString(file).strip());
            return List.of(provider(NAME, threshold));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, OpKinds.Factory> kinds() {
        return Map.of(NAME, (name, node, baseDir) -> provider(name, node.path("threshold").asDouble(0.5)));
    }

    private static OpProvider provider(String name, double threshold) {
        return OpProvider.of(name, List.of(LABEL), () -> new Op() {
            @Override
            public OpOutput apply(Mat bgr) {
                double score;
                try (Mat grey = new Mat()) {
                    opencv_imgproc.cvtColor(bgr, grey, opencv_imgproc.COLOR_BGR2GRAY);
                    score = opencv_core.mean(grey).get(0) / 255;
                }
                List<Label> labels = score >= threshold ? List.of(new Label(LABEL, (float) score)) : List.of();
                return new OpOutput(labels, List.of(), "{\"tone\":" + (float) score + "}");
            }

            @Override
            public void close() {
                // nothing native is held between frames
            }
        });
    }
}
