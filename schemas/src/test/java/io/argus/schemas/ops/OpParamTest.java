package io.argus.schemas.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class OpParamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode v(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void numbersAreCheckedAgainstInclusiveBoundsNeverClamped() throws Exception {
        OpParam p = OpParam.number("threshold", 0.0, 1.0, "score");
        assertThat(p.problem(v("0"))).isNull();
        assertThat(p.problem(v("1"))).isNull();
        assertThat(p.problem(v("0.5"))).isNull();
        assertThat(p.problem(v("null"))).isNull();
        for (String bad : List.of("1.0000001", "-0.0001", "\"0.5\"", "true", "[0.5]", "{}", "1e999")) {
            assertThat(p.problem(v(bad))).as(bad).isEqualTo("a number in [0, 1]");
        }
        assertThat(OpParam.number("x", 0.5, null, "d").expectation()).isEqualTo("a number >= 0.5");
        assertThat(OpParam.number("x", null, 2.0, "d").expectation()).isEqualTo("a number <= 2");
        assertThat(OpParam.number("x", null, null, "d").problem(v("-1e300"))).isNull();
    }

    @Test
    void integersAreWholeNumbersInRange() throws Exception {
        OpParam p = OpParam.integer("threshold", 1L, 254L, "grey levels");
        assertThat(p.problem(v("25"))).isNull();
        assertThat(p.problem(v("25.0"))).isNull();
        for (String bad : List.of("25.5", "0", "255", "\"25\"", "99999999999999999999999")) {
            assertThat(p.problem(v(bad))).as(bad).isEqualTo("an integer in [1, 254]");
        }
    }

    @Test
    void booleansStringsAndEnums() throws Exception {
        assertThat(OpParam.bool("b", "d").problem(v("false"))).isNull();
        assertThat(OpParam.bool("b", "d").problem(v("0"))).isEqualTo("a boolean");
        assertThat(OpParam.string("s", "d").problem(v("\"x\""))).isNull();
        assertThat(OpParam.string("s", "d").problem(v("1"))).isEqualTo("a string");
        OpParam e = OpParam.oneOf("mode", List.of("fast", "exact"), "d");
        assertThat(e.problem(v("\"exact\""))).isNull();
        assertThat(e.problem(v("\"Exact\""))).isEqualTo("one of fast, exact");
        assertThat(e.type().jsonName()).isEqualTo("enum");
    }

    @Test
    void aDeclarationThatCannotBeCheckedIsRefused() {
        assertThatThrownBy(() -> OpParam.number("x", 2.0, 1.0, "d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpParam("x", OpParam.Type.BOOLEAN, 0.0, null, List.of(), "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpParam.oneOf("x", List.of(), "d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpParam.string(" ", "d")).isInstanceOf(IllegalArgumentException.class);
    }
}
