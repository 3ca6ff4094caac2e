package io.argus.analyzer.ops.plate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.analyzer.op.OpOutput;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;

/**
 * The plate op over a detector's output on a 1280×720 frame holding a synthetic vehicle with a
 * plate: the vehicle keeps its class and gains the plate (box in frame pixels, format fixes), people
 * and narrow vehicles are not read, bad params are refused.
 */
class PlateOpTest {

    @Test
    void readsThePlateOfEachVehicleWideEnough() throws Exception {
        Mat frame = new Mat(720, 1280, opencv_core.CV_8UC3, new Scalar(40, 40, 40, 0));
        Mat car = SyntheticPlates.onVehicle(SyntheticPlates.plate("L515 EBC", 150, 0.5, 0, 1), 440);
        car.copyTo(frame.apply(new Rect(600, 300, car.cols(), car.rows())));
        OpOutput detector = new OpOutput(List.of(), List.of(
                OpOutput.detection("car", 0.8f, new Box(600, 300, 600 + car.cols(), 300 + car.rows())),
                OpOutput.detection("person", 0.9f, new Box(100, 100, 160, 300)),
                OpOutput.detection("car", 0.6f, new Box(10, 600, 60, 640))), "{}");
        OpOutput out = PlateOp.read(new PlateReader(OcrModels.shared()), frame, detector, PlateFormat.named("uk"), 80);

        assertThat(out.detections()).extracting(Detection::getLabel).containsExactly("car", "car");
        Detection read = out.detections().get(0);
        assertThat(read.getPlate()).isNotNull();
        assertThat(read.getPlate().getRaw().replace(" ", "")).isEqualTo("L515EBC");
        assertThat(read.getPlate().getText()).isEqualTo("LS15EBC"); // the uk format's fix of the 5 at a letter's place
        assertThat(read.getPlate().getReadable()).isTrue();
        Box pb = read.getPlate().getBox();
        assertThat(pb.getLeft()).isBetween(600 + 130, 600 + 170);
        assertThat(pb.getTop()).isBetween(300 + 230, 300 + 260);
        assertThat(out.detections().get(1).getPlate()).isNull(); // 50 px wide: not read
        assertThat(out.labels()).extracting(l -> l.getLabel()).containsExactly("plate");
        JsonNode raw = new ObjectMapper().readTree(out.resultJson());
        assertThat(raw.at("/detections/0/plate/text").asText()).isEqualTo("LS15EBC");
        assertThat(raw.at("/detections/0/class").asText()).isEqualTo("car");
    }

    @Test
    void badParamsAreRefusedWithTheirReason() {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> PlateOp.format(json.createObjectNode().put("format", "mars")))
                .hasMessageContaining("unknown plate format 'mars'");
        assertThatThrownBy(() -> PlateOp.format(json.createObjectNode().put("format", 3)))
                .hasMessageContaining("params.format must be a string");
        assertThatThrownBy(() -> PlateOp.minWidth(json.createObjectNode().put("min_vehicle_width", 2)))
                .hasMessageContaining("from 16 to 8192");
        assertThat(PlateOp.minWidth(json.createObjectNode())).isEqualTo(PlateOp.DEFAULT_MIN_VEHICLE_WIDTH);
    }
}
