package io.argus.analyzer.ops.plate;

import io.argus.schemas.plates.PlateText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Normal form, regional formats with confusable fixes and CTC decoding. */
class PlateRulesTest {

    @Test
    void normalFormDropsCaseSpacesAndSeparatorsButKeepsOtherScripts() {
        assertThat(PlateText.normalize("ls15 ebc")).isEqualTo("LS15EBC");
        assertThat(PlateText.normalize(" LS15-EBC. ")).isEqualTo("LS15EBC");
        assertThat(PlateText.normalize("京A·12345")).isEqualTo("京A12345");
        assertThat(PlateText.normalize("\u0000\t\r\n")).isEmpty();
        assertThat(PlateText.normalize(null)).isEmpty();
        assertThat(PlateText.normalize("A".repeat(1000))).hasSize(PlateText.MAX_LENGTH);
    }

    @Test
    void aFormatFixesConfusablesOnlyWhereItSaysWhichKindBelongs() {
        PlateFormat uk = PlateFormat.named("uk");
        assertThat(uk.pattern()).isEqualTo("AA99AAA");
        assertThat(uk.fix("L515EBC")).isEqualTo("LS15EBC"); // 5 where a letter belongs
        assertThat(uk.fix("LSI5E8C")).isEqualTo("LS15EBC"); // I and 8 the other way
        assertThat(uk.fix("LS15EBCX")).isEqualTo("LS15EBCX"); // length differs: untouched
        assertThat(uk.matches("LS15EBC")).isTrue();
        assertThat(uk.matches("LS1SEBC")).isFalse();
        assertThat(PlateFormat.of("??99").fix("O0OO")).isEqualTo("O000");
        assertThatThrownBy(() -> PlateFormat.named("mars")).hasMessageContaining("unknown plate format 'mars'");
        assertThatThrownBy(() -> PlateFormat.of("AAx")).hasMessageContaining("A (letter), 9 (digit)");
    }

    @Test
    void greedyCtcCollapsesRepeatsAndDropsBlanks() {
        List<String> alphabet = List.of("", "A", "B", " ");
        // steps: A A blank A B B blank → "AAB"
        float[] p = {
            0.1f, 0.8f, 0.05f, 0.05f,
            0.1f, 0.7f, 0.1f, 0.1f,
            0.9f, 0.05f, 0.03f, 0.02f,
            0.2f, 0.6f, 0.1f, 0.1f,
            0.1f, 0.1f, 0.7f, 0.1f,
            0.1f, 0.1f, 0.8f, 0.0f,
            0.97f, 0.01f, 0.01f, 0.01f};
        CtcDecoder.Decoded d = CtcDecoder.greedy(p, 7, 4, alphabet);
        assertThat(d.text()).isEqualTo("AAB");
        assertThat(d.probs()).containsExactly(0.8f, 0.6f, 0.7f);
        assertThat(d.score()).isCloseTo(0.7f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThatThrownBy(() -> CtcDecoder.greedy(p, 8, 4, alphabet)).isInstanceOf(IllegalArgumentException.class);
    }
}
