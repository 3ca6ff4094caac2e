package io.argus.analyzer.ops.plate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** PP-OCRv4 recognition on synthetic plates: clean, blurred, rotated, low contrast, batched. */
class TextRecognizerTest {

    @Test
    void readsACleanPlateAndItsDegradedCopies() throws Exception {
        TextRecognizer rec = new TextRecognizer(OcrModels.shared());
        List<Mat> plates = List.of(
                SyntheticPlates.plate("LS15 EBC", 240, 0, 0, 1),
                SyntheticPlates.plate("LS15 EBC", 120, 0.8, 0, 1),
                SyntheticPlates.plate("LS15 EBC", 160, 0, 3, 1),
                SyntheticPlates.plate("LS15 EBC", 160, 0, 0, 0.3),
                SyntheticPlates.plate("AB12 CDE", 200, 0.5, -2, 0.6));
        List<CtcDecoder.Decoded> read = rec.read(plates);
        for (CtcDecoder.Decoded d : read) {
            System.out.println(d.text() + " " + d.score());
        }
        assertThat(read.get(0).text().replace(" ", "")).isEqualTo("LS15EBC");
        assertThat(read.get(0).score()).isGreaterThan(0.9f);
        long right = read.subList(0, 4).stream().filter(d -> d.text().replace(" ", "").equals("LS15EBC")).count();
        assertThat(right).isGreaterThanOrEqualTo(3);
        assertThat(read.get(4).text().replace(" ", "")).isEqualTo("AB12CDE");
    }
}
