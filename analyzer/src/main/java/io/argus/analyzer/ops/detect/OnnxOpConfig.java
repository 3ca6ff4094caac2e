package io.argus.analyzer.ops.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.analyzer.op.OpProvider;

/**
 * An op of kind {@code onnx} in the ops configuration ({@link io.argus.analyzer.op.OpsConfig}):
 * an object detector in an ONNX file, run by {@link OnnxDetectorOp}. Unknown fields are refused.
 *
 * @param name op name
 * @param kind {@code "onnx"}
 * @param model ONNX file (relative to the configuration file's directory)
 * @param labels an array of labels, one per class column, or the name of a text file with one
 *     label a line; an empty label marks a column that is never reported (e.g. background, unused
 *     ids)
 * @param family {@code "ssd"} (boxes + scores outputs, see {@link SsdDecoder}) or {@code "yolo"}
 *     (one output, see {@link YoloDecoder})
 * @param input frame → tensor settings
 * @param threshold minimum score (default {@value DetectorSpec#DEFAULT_THRESHOLD})
 * @param nmsIou per-class NMS IoU (default {@value DetectorSpec#DEFAULT_NMS_IOU})
 * @param maxDetections boxes per frame (default {@value DetectorSpec#DEFAULT_MAX_DETECTIONS})
 * @param outputs SSD output names; by default picked by shape
 * @param boxOrder SSD box order: {@code "yxyx"} (default, TF) or {@code "xyxy"}
 * @param keep report only these labels (default: all)
 * @param intraOpThreads ONNX Runtime threads per run (default
 *     {@link SharedSessions#defaultIntraOpThreads()})
 */
public record OnnxOpConfig(
        String name,
        String kind,
        String model,
        JsonNode labels,
        String family,
        Input input,
        Float threshold,
        @JsonProperty("nms_iou") Float nmsIou,
        @JsonProperty("max_detections") Integer maxDetections,
        Outputs outputs,
        @JsonProperty("box_order") String boxOrder,
        List<String> keep,
        @JsonProperty("intra_op_threads") Integer intraOpThreads) {

    /**
     * Input settings; see {@link InputSpec}.
     *
     * @param width pixels (required)
     * @param height pixels (required)
     * @param layout {@code "nchw"} (default) or {@code "nhwc"}
     * @param channels {@code "rgb"} (default) or {@code "bgr"}
     * @param scale multiplier of 0–255 values (default 1)
     * @param mean per-channel mean subtracted after scaling (default 0)
     * @param std per-channel divisor (default 1)
     * @param resize {@code "stretch"} (SSD default) or {@code "letterbox"} (YOLO default)
     */
    public record Input(Integer width, Integer height, String layout, String channels, Float scale, float[] mean,
                        float[] std, String resize) {
    }

    /**
     * @param boxes name of the SSD boxes output
     * @param scores name of the SSD scores output
     */
    public record Outputs(String boxes, String scores) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The {@code onnx} kind's factory ({@link OnnxKindPlugin}, {@link io.argus.analyzer.op.OpKinds}).
     *
     * @param name op name
     * @param node the op's JSON object
     * @param baseDir directory of the configuration file
     * @return a provider (the model file is checked now; ONNX Runtime loads it on first use)
     * @throws IllegalArgumentException on unknown fields, bad values, a missing model or labels file
     */
    public static OpProvider provider(String name, JsonNode node, Path baseDir) {
        OnnxOpConfig c;
        try {
            c = JSON.treeToValue(node, OnnxOpConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        return new OnnxDetectorOp.Provider(c.toSpec(baseDir));
    }

    /**
     * @param baseDir directory relative paths resolve against
     * @return the resolved spec
     * @throws IllegalArgumentException on bad values or missing files
     */
    public DetectorSpec toSpec(Path baseDir) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("no model file given");
        }
        Path file = baseDir.resolve(model).normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model file " + file + " not found");
        }
        DetectorSpec.Family fam = switch (family == null ? "" : family.toLowerCase(Locale.ROOT)) {
            case "ssd" -> DetectorSpec.Family.SSD;
            case "yolo" -> DetectorSpec.Family.YOLO;
            default -> throw new IllegalArgumentException("family must be \"ssd\" or \"yolo\", got " + family);
        };
        if (input == null || input.width() == null || input.height() == null) {
            throw new IllegalArgumentException("input.width and input.height are required");
        }
        boolean nchw = switch (input.layout() == null ? "nchw" : input.layout().toLowerCase(Locale.ROOT)) {
            case "nchw" -> true;
            case "nhwc" -> false;
            default -> throw new IllegalArgumentException("input.layout must be nchw or nhwc, got " + input.layout());
        };
        boolean rgb = switch (input.channels() == null ? "rgb" : input.channels().toLowerCase(Locale.ROOT)) {
            case "rgb" -> true;
            case "bgr" -> false;
            default -> throw new IllegalArgumentException("input.channels must be rgb or bgr, got " + input.channels());
        };
        String resize = input.resize() == null ? (fam == DetectorSpec.Family.YOLO ? "letterbox" : "stretch")
                : input.resize().toLowerCase(Locale.ROOT);
        if (!resize.equals("letterbox") && !resize.equals("stretch")) {
            throw new IllegalArgumentException("input.resize must be stretch or letterbox, got " + input.resize());
        }
        float[] mean = input.mean() == null ? new float[3] : input.mean();
        float[] std = input.std() == null ? new float[] {1, 1, 1} : input.std();
        InputSpec in = new InputSpec(input.width(), input.height(), nchw, rgb, input.scale() == null ? 1f : input.scale(),
                mean, std, resize.equals("letterbox"));
        boolean yxyx = switch (boxOrder == null ? "yxyx" : boxOrder.toLowerCase(Locale.ROOT)) {
            case "yxyx" -> true;
            case "xyxy" -> false;
            default -> throw new IllegalArgumentException("box_order must be yxyx or xyxy, got " + boxOrder);
        };
        return new DetectorSpec(name, fam, file, labels(baseDir), in,
                threshold == null ? DetectorSpec.DEFAULT_THRESHOLD : threshold,
                nmsIou == null ? DetectorSpec.DEFAULT_NMS_IOU : nmsIou,
                maxDetections == null ? DetectorSpec.DEFAULT_MAX_DETECTIONS : maxDetections,
                outputs == null ? null : outputs.boxes(), outputs == null ? null : outputs.scores(), yxyx,
                keep == null ? null : Set.copyOf(keep),
                intraOpThreads == null ? SharedSessions.defaultIntraOpThreads() : intraOpThreads);
    }

    private List<String> labels(Path baseDir) {
        if (labels == null || labels.isNull()) {
            throw new IllegalArgumentException("no labels given");
        }
        List<String> out = new ArrayList<>();
        if (labels.isArray()) {
            labels.forEach(l -> out.add(l.asText()));
            return out;
        }
        Path file = baseDir.resolve(labels.asText()).normalize();
        try {
            for (String line : Files.readAllLines(file)) {
                out.add(line.strip());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("labels file " + file + " is unreadable: " + e, e);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1); // trailing blank lines
        }
        return out;
    }
}
