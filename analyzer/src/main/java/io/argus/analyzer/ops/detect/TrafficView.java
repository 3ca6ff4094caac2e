package io.argus.analyzer.ops.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.Label;
import io.argus.schemas.ops.OpParam;

/**
 * The {@value #NAME} op: a COCO detector's road users grouped as the traffic API counts them
 * (traffic-api.md: people and vehicles). Group {@code pedestrian}: {@code person}; group
 * {@code vehicle}: {@code car}, {@code truck}, {@code bus}, {@code motorcycle} and {@code bicycle}
 * (a bicycle is a vehicle: it uses the road, and its rider is detected as a person as well, so a
 * cyclist is one pedestrian-class box and one vehicle-class box, as the counting stage expects).
 * Other COCO classes are dropped.
 *
 * <p>The frame's labels are the groups (one per group, its best score), so segments and label
 * rules work on {@code pedestrian}/{@code vehicle}; each detection keeps its COCO class as its
 * label (so trackers and counters see cars and trucks apart), and each raw result entry keeps
 * {@code class} (COCO) and adds {@code group}. Params are the wrapped detector's.
 */
public final class TrafficView implements OpProvider {

    /** Op name. */
    public static final String NAME = "traffic";
    /** Group of people. */
    public static final String PEDESTRIAN = "pedestrian";
    /** Group of road vehicles. */
    public static final String VEHICLE = "vehicle";
    /** COCO label → group. */
    public static final Map<String, String> GROUPS = Map.of(
            "person", PEDESTRIAN,
            "bicycle", VEHICLE, "car", VEHICLE, "motorcycle", VEHICLE, "bus", VEHICLE, "truck", VEHICLE);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpProvider detector;

    /** @param detector a detector reporting COCO labels (e.g. {@code detection}) */
    public TrafficView(OpProvider detector) {
        this.detector = detector;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return {@code pedestrian}, {@code vehicle} */
    @Override
    public List<String> labels() {
        return List.of(PEDESTRIAN, VEHICLE);
    }

    @Override
    public List<OpParam> params() {
        return detector.params();
    }

    @Override
    public Op create() {
        Op inner = detector.create();
        return new Op() {
            @Override
            public OpOutput apply(Mat bgr) throws Exception {
                return group(inner.apply(bgr));
            }

            @Override
            public OpOutput apply(Mat bgr, OpContext context) throws Exception {
                return group(inner.apply(bgr, context));
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /**
     * @param out a COCO detector's output
     * @return the road users only, labels by group, detections and raw entries keeping their class
     * @throws IllegalStateException when the raw result is not the detection shape
     */
    static OpOutput group(OpOutput out) {
        List<Detection> kept = new ArrayList<>();
        Map<String, Float> best = new LinkedHashMap<>();
        for (Detection d : out.detections()) {
            String g = GROUPS.get(d.getLabel());
            if (g != null) {
                kept.add(d);
                best.merge(g, d.getScore(), Math::max);
            }
        }
        List<Label> labels = new ArrayList<>();
        best.forEach((k, v) -> labels.add(new Label(k, v)));
        ObjectNode raw = JSON.createObjectNode();
        ArrayNode list = raw.putArray("detections");
        try {
            for (JsonNode e : JSON.readTree(out.resultJson()).path("detections")) {
                String g = GROUPS.get(e.path("class").asText());
                if (g != null) {
                    list.add(((ObjectNode) e.deepCopy()).put("group", g));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("detector result is not JSON: " + e.getOriginalMessage(), e);
        }
        return new OpOutput(labels, kept, raw.toString());
    }
}
