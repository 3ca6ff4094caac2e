package io.argus.analyzer.ops.plate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Tesseract behind the plate reader's detection stage, on synthetic plates. Skipped (saying why)
 * only when no {@code eng.traineddata} is installed (Debian: {@code tesseract-ocr-eng}).
 */
class TesseractPlateReaderTest {

    static Path tessdata() {
        Optional<Path> d = TesseractRecognizer.findTessdata();
        Assumptions.assumeTrue(d.isPresent(), "Tesseract's eng.traineddata is not installed ($TESSDATA_PREFIX or "
                + TesseractRecognizer.DEBIAN_TESSDATA + "; Debian: apt-get install tesseract-ocr-eng): skipping");
        return d.get();
    }

    @Test
    void readsASyntheticPlateOnAVehicleWithTheSameDetectionStage() throws Exception {
        try (TesseractPlateReader reader = new TesseractPlateReader(OcrModels.shared(), tessdata())) {
            Mat car = SyntheticPlates.onVehicle(SyntheticPlates.plate("LS15 EBC", 160, 0, 0, 1), 420);
            Optional<PlateReader.PlateRead> read = reader.read(car);
            System.out.println(read);
            assertThat(read).isPresent();
            assertThat(read.get().readable()).isTrue();
            assertThat(read.get().text()).isEqualTo("LS15EBC");
            assertThat(read.get().score()).isGreaterThan(0f).isLessThanOrEqualTo(1f);
            // the same box as the default reader finds: detection is shared
            PlateReader.PlateRead pp = new PlateReader(OcrModels.shared()).read(car).orElseThrow();
            assertThat(read.get().box()).isEqualTo(pp.box());
            // the UK format's fixes apply to its reads like to the default's
            assertThat(PlateFormat.named("uk").fix("L515EBC")).isEqualTo("LS15EBC");
        }
    }

    @Test
    void answersOnlyWhitelistedCharacters() {
        try (TesseractRecognizer tess = new TesseractRecognizer(tessdata())) {
            // lower-case letters and separators are not in the whitelist: the digits are read, nothing else
            Mat plate = SyntheticPlates.plate("ab-12 cd", 200, 0, 0, 1);
            Mat upper = SyntheticPlates.plate("AB12 CDE", 200, 0, 0, 1);
            List<CtcDecoder.Decoded> out = tess.read(List.of(plate, upper));
            System.out.println(out.get(0).text() + " / " + out.get(1).text());
            assertThat(out.get(0).text()).matches("[A-Z0-9]*").contains("12");
            // the whole plate with its dark frame (no detection stage): the frame's right edge may read as one more letter
            assertThat(out.get(1).text().replace(" ", "")).startsWith("AB12CDE").hasSizeLessThanOrEqualTo(8);
            assertThat(out.get(1).probs()).hasSize(out.get(1).text().length());
        }
    }

    @Test
    void aMissingTraineddataIsAClearError(@org.junit.jupiter.api.io.TempDir Path empty) {
        assertThatThrownBy(() -> new TesseractRecognizer(empty)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("eng.traineddata").hasMessageContaining("tesseract-ocr-eng");
    }
}
