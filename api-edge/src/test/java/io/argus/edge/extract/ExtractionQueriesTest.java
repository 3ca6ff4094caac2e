package io.argus.edge.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.argus.edge.request.ApiException;

class ExtractionQueriesTest {

    private static Function<String, String> q(Map<String, String> m) {
        return m::get;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void itemsFromTheQueryStringWithDefaults() {
        ExtractionQueries.Items i = ExtractionQueries.items(q(Map.of("pattern", "Random")), new byte[0]);
        assertThat(i).isEqualTo(new ExtractionQueries.Items(ExtractionPattern.RANDOM, null, 10));
        i = ExtractionQueries.items(q(Map.of("pattern", "scene", "video", "cam-1", "count", "100", "_", "x")), null);
        assertThat(i).isEqualTo(new ExtractionQueries.Items(ExtractionPattern.SCENE, "cam-1", 100));
    }

    @Test
    void itemsFromTheSpecsJsonBodyQueryWins() {
        ExtractionQueries.Items i = ExtractionQueries.items(q(Map.of()), b("{\"pattern\":\"random\",\"count\":1}"));
        assertThat(i).isEqualTo(new ExtractionQueries.Items(ExtractionPattern.RANDOM, null, 1));
        i = ExtractionQueries.items(q(Map.of("count", "3")), b("{\"pattern\":\"uniform\",\"count\":1,\"video_id\":\"v\"}"));
        assertThat(i).isEqualTo(new ExtractionQueries.Items(ExtractionPattern.UNIFORM, "v", 3));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "|                                   | pattern is required",
            "| {\"count\":1}                     | pattern is required",
            "pattern=interval|                   | pattern must be one of uniform, keyframe, random, scene",
            "pattern=random,count=0|             | count must be an integer from 1 to 100",
            "pattern=random,count=101|           | count must be an integer from 1 to 100",
            "pattern=random,count=ten|           | count must be an integer from 1 to 100",
            "| {\"pattern\":\"random\",\"count\":0}   | count must be an integer from 1 to 100",
            "| {\"pattern\":\"random\",\"count\":2.5} | count must be an integer from 1 to 100",
            "pattern=random,video=a/b|           | video must be a video id",
            "| {\"pattern\":\"random\",\"x\":1}  | unknown field 'x'",
            "| {\"pattern\":5}                   | pattern must be a string",
            "| [1]                               | body must be a JSON object",
    })
    void badItemQueriesAre400(String query, String body, String message) {
        Map<String, String> params = new java.util.HashMap<>();
        if (query != null) {
            for (String kv : query.split(",")) {
                String[] p = kv.split("=", 2);
                params.put(p[0], p[1]);
            }
        }
        assertThatThrownBy(() -> ExtractionQueries.items(params::get, body == null ? null : b(body)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).startsWith(message);
                });
    }

    @Test
    void historyDefaultsAndLimits() {
        assertThat(ExtractionQueries.history(q(Map.of()), null)).isEqualTo(new ExtractionQueries.History(null, 20));
        assertThat(ExtractionQueries.history(q(Map.of("video", "v1", "count", "100")), null))
                .isEqualTo(new ExtractionQueries.History("v1", 100));
        assertThatThrownBy(() -> ExtractionQueries.history(q(Map.of("count", "101")), null))
                .isInstanceOf(ApiException.class).hasMessageStartingWith("count must be an integer from 1 to 100");
    }

    @Test
    void deleteVideo() {
        assertThat(ExtractionQueries.video(q(Map.of()))).isNull();
        assertThat(ExtractionQueries.video(q(Map.of("video", "")))).isNull();
        assertThat(ExtractionQueries.video(q(Map.of("video", "cam.1")))).isEqualTo("cam.1");
        assertThatThrownBy(() -> ExtractionQueries.video(q(Map.of("video", "../x"))))
                .isInstanceOf(ApiException.class);
    }
}
