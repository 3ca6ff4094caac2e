package io.argus.launcher.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.argus.analyzer.ops.plate.OcrModels;
import io.argus.analyzer.ops.plate.PlateReader;

/**
 * The plate reader on the real labelled set (eval/plates: 17 photos and crops from five countries
 * and China, provenance beside them). Prints each read; asserts the accuracy measured when the set
 * was made (BENCHMARKS.md "Licence plates") does not fall.
 */
class RealPlatesTest {

    static Path labels() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("eval/plates/labels.csv");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("eval/plates/labels.csv not found");
    }

    @Test
    void readsTheRealPlates() throws Exception {
        List<PlateSet.Item> set = PlateSet.read(labels());
        assertThat(set).hasSize(17);
        PlateReader reader = new PlateReader(OcrModels.shared());
        int exact = 0;
        double chars = 0;
        for (PlateSet.Item item : set) {
            Optional<PlateReader.PlateRead> r = reader.read(item.vehicle());
            String text = r.map(PlateReader.PlateRead::text).orElse("");
            exact += text.equals(item.text()) ? 1 : 0;
            chars += PlateSet.characterAccuracy(item.text(), text);
            System.out.printf("%-36s %-12s %-12s %s%n", item.file().getFileName(), item.text(), text,
                    r.map(p -> String.format("%.2f %.0fpx", p.score(), p.widthPx())).orElse("-"));
        }
        System.out.printf("exact %d/%d, character accuracy %.3f%n", exact, set.size(), chars / set.size());
        // measured when the set was made: 13 of 17 exact, character accuracy 0.920
        assertThat(exact).isGreaterThanOrEqualTo(13);
        assertThat(chars / set.size()).isGreaterThanOrEqualTo(0.90);
        assertThat(PlateSet.characterAccuracy("LS15EBC", "LS15EBC")).isEqualTo(1.0);
        assertThat(PlateSet.characterAccuracy("LS15EBC", "L515EB")).isCloseTo(1 - 2 / 7.0,
                org.assertj.core.data.Offset.offset(1e-9));
    }
}
