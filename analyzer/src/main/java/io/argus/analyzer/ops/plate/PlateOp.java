package io.argus.analyzer.ops.plate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.PlateRead;
import io.argus.schemas.ops.OpParam;

/**
 * The {@value #NAME} op: the vehicles a COCO detector finds (car, truck, bus, motorcycle), each
 * at least {@code min_vehicle_width} px wide given to the {@link PlateReader}. Detections are the
 * vehicles, with their COCO class, each carrying the plate read on it ({@link Detection#getPlate()},
 * box in frame pixels) when one was found; so {@code params.tracking} with {@code op: plate}
 * follows the vehicles and the aggregator votes one plate per track (topic {@code argus.plates}).
 * The frame's label is {@code plate} (best readable score) when a plate was read. Raw result: the
 * detector's shape ({@code index, class, score, pts}) plus {@code plate: {text, raw, score,
 * readable, pts}} per vehicle with a plate.
 *
 * <p>Params: the detector's ({@code threshold}, {@code tiles}, {@code class_thresholds}), plus
 * {@code format} (a regional plate format such as {@code uk} or a pattern {@code AA99AAA}:
 * confusable characters are fixed where it says which kind belongs, {@link PlateFormat}) and
 * {@code min_vehicle_width} (pixels, default {@value #DEFAULT_MIN_VEHICLE_WIDTH}: narrower vehicles
 * are not read, their plate could not be {@value PlateReader#MIN_WIDTH_PX} px wide).
 */
public final class PlateOp implements OpProvider {

    /** Op name. */
    public static final String NAME = "plate";
    /** The frame label when a plate was read. */
    public static final String LABEL = "plate";
    /** COCO classes read. */
    public static final Set<String> VEHICLES = Set.of("car", "truck", "bus", "motorcycle");
    /** Narrowest vehicle read by default, pixels. */
    public static final int DEFAULT_MIN_VEHICLE_WIDTH = 80;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpProvider detector;

    /** @param detector a detector reporting COCO labels (e.g. {@code detection}) */
    public PlateOp(OpProvider detector) {
        this.detector = detector;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return {@code plate} */
    @Override
    public List<String> labels() {
        return List.of(LABEL);
    }

    @Override
    public List<OpParam> params() {
        List<OpParam> out = new ArrayList<>(detector.params());
        out.add(OpParam.string("format", "regional plate format fixing confusable characters: uk, us-ca, or a "
                + "pattern of A (letter), 9 (digit), ? (either), e.g. AA99AAA"));
        out.add(OpParam.integer("min_vehicle_width", 16L, 8192L,
                "narrowest vehicle whose plate is read, pixels; default " + DEFAULT_MIN_VEHICLE_WIDTH));
        return out;
    }

    @Override
    public Op create() {
        Op inner = detector.create();
        return new Op() {
            private PlateReader reader;

            @Override
            public OpOutput apply(Mat bgr) throws Exception {
                return plates(bgr, inner.apply(bgr), null);
            }

            @Override
            public OpOutput apply(Mat bgr, OpContext context) throws Exception {
                return plates(bgr, inner.apply(bgr, context), context.params());
            }

            private OpOutput plates(Mat bgr, OpOutput vehicles, JsonNode params) throws Exception {
                if (reader == null) {
                    reader = new PlateReader(OcrModels.shared());
                }
                return read(reader, bgr, vehicles, format(params), minWidth(params));
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /**
     * @param reader   the plate reader
     * @param bgr      the frame, 8-bit BGR
     * @param vehicles the detector's output on it
     * @param format   regional format, or null
     * @param minWidth narrowest vehicle read, pixels
     * @return the vehicles with their plates
     * @throws Exception when a model fails
     */
    static OpOutput read(PlateReader reader, Mat bgr, OpOutput vehicles, PlateFormat format, int minWidth)
            throws Exception {
        List<Detection> out = new ArrayList<>();
        ObjectNode raw = JSON.createObjectNode();
        ArrayNode list = raw.putArray("detections");
        float best = -1;
        for (Detection d : vehicles.detections()) {
            if (!VEHICLES.contains(d.getLabel())) {
                continue;
            }
            Box b = d.getBox();
            int x = Math.max(0, b.getLeft());
            int y = Math.max(0, b.getTop());
            int w = Math.min(bgr.cols(), b.getRight()) - x;
            int h = Math.min(bgr.rows(), b.getBottom()) - y;
            PlateRead plate = null;
            if (w >= minWidth && h >= 8) {
                try (Mat crop = bgr.apply(new Rect(x, y, w, h))) {
                    Optional<PlateReader.PlateRead> r = reader.read(crop);
                    if (r.isPresent()) {
                        plate = record(r.get(), x, y, format);
                    }
                }
            }
            Detection kept = Detection.newBuilder(d).setPlate(plate).build();
            out.add(kept);
            ObjectNode e = OpOutput.addDetection(list, 0, d.getLabel(), d.getScore(), b);
            e.remove("index");
            if (plate != null) {
                ObjectNode p = e.putObject("plate");
                p.put("text", plate.getText());
                p.put("raw", plate.getRaw());
                p.put("score", plate.getScore());
                p.put("readable", plate.getReadable());
                Box pb = plate.getBox();
                p.putArray("pts").add(JSON.createArrayNode().add(pb.getLeft()).add(pb.getTop()))
                        .add(JSON.createArrayNode().add(pb.getRight()).add(pb.getBottom()));
                if (plate.getReadable()) {
                    best = Math.max(best, plate.getScore());
                }
            }
        }
        List<Label> labels = best >= 0 ? List.of(new Label(LABEL, best)) : List.of();
        return new OpOutput(labels, out, raw.toString());
    }

    private static PlateRead record(PlateReader.PlateRead r, int dx, int dy, PlateFormat format) {
        String text = format == null || r.text().isEmpty() ? r.text() : format.fix(r.text());
        PlateReader.Bounds b = r.box();
        return PlateRead.newBuilder()
                .setText(text)
                .setRaw(r.raw())
                .setScore(r.score())
                .setReadable(r.readable())
                .setSharpness((float) r.sharpness())
                .setBox(new Box(dx + b.x(), dy + b.y(), dx + b.x() + b.w(), dy + b.y() + b.h()))
                .build();
    }

    /** @return the {@code format} param, or null */
    static PlateFormat format(JsonNode params) {
        JsonNode f = params == null ? null : params.get("format");
        if (f == null || f.isNull()) {
            return null;
        }
        if (!f.isTextual()) {
            throw new IllegalArgumentException("op plate: params.format must be a string, got " + f);
        }
        return PlateFormat.named(f.asText());
    }

    /** @return the {@code min_vehicle_width} param, or its default */
    static int minWidth(JsonNode params) {
        JsonNode m = params == null ? null : params.get("min_vehicle_width");
        if (m == null || m.isNull()) {
            return DEFAULT_MIN_VEHICLE_WIDTH;
        }
        if (!m.canConvertToInt() || m.asInt() < 16 || m.asInt() > 8192) {
            throw new IllegalArgumentException("op plate: params.min_vehicle_width must be an integer from 16 to 8192, got "
                    + m);
        }
        return m.asInt();
    }
}
