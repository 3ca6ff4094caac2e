package io.argus.analyzer.ops.plate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Finding and reading a plate in a vehicle-like image; small plates are unreadable, not guessed. */
class PlateReaderTest {

    @Test
    void findsAndReadsThePlateOnAVehicle() throws Exception {
        PlateReader reader = new PlateReader(OcrModels.shared());
        Mat car = SyntheticPlates.onVehicle(SyntheticPlates.plate("LS15 EBC", 140, 0.6, 2, 0.9), 420);
        Optional<PlateReader.PlateRead> read = reader.read(car);
        assertThat(read).isPresent();
        System.out.println(read.get());
        assertThat(read.get().readable()).isTrue();
        assertThat(read.get().text()).isEqualTo("LS15EBC");
        // the plate lies in the lower middle: 140 px wide centred at (210, 236)
        assertThat(read.get().box().x()).isBetween(130, 160);
        assertThat(read.get().box().y() + read.get().box().h() / 2).isBetween(220, 250);
        assertThat(read.get().widthPx()).isBetween(120f, 175f);
    }

    @Test
    void aPlateBelowTheMinimumWidthIsUnreadable() throws Exception {
        PlateReader reader = new PlateReader(OcrModels.shared());
        Mat car = SyntheticPlates.onVehicle(SyntheticPlates.plate("LS15 EBC", 48, 0, 0, 1), 200);
        Optional<PlateReader.PlateRead> read = reader.read(car);
        read.ifPresent(System.out::println);
        read.ifPresent(r -> {
            assertThat(r.readable()).isFalse();
            assertThat(r.text()).isEmpty();
        });
    }

    @Test
    void anImageWithoutTextHasNoPlate() throws Exception {
        PlateReader reader = new PlateReader(OcrModels.shared());
        Mat plain = new Mat(200, 300, org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                new org.bytedeco.opencv.opencv_core.Scalar(90, 90, 90, 0));
        assertThat(reader.read(plain)).isEmpty();
    }
}
