package io.argus.edge.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class JobOpParserTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    private static String parse(String contentType, String body, String query) {
        return JobOpParser.parse(contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8), query);
    }

    private static ApiException reject(String contentType, String body, String query) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parse(contentType, body, query));
        assertThat(e).as("rejects %s / %s / %s", contentType, body, query).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error()).isEqualTo("invalid parameters");
        return e;
    }

    @Test
    void acceptsTheFormBodyTheQueryAndJson() {
        assertThat(parse(FORM, "op=kill", null)).isEqualTo("kill");
        assertThat(parse(FORM + "; charset=UTF-8", "x=1&op=%6Bill", null)).isEqualTo("kill");
        assertThat(parse(null, null, "op=kill")).isEqualTo("kill");
        assertThat(parse(FORM, "", "a=b&op=KILL")).isEqualTo("kill");
        assertThat(parse("application/json", "{\"op\":\"kill\",\"reason\":\"x\"}", null)).isEqualTo("kill");
        assertThat(parse(null, " {\"op\":\" kill \"}", null)).isEqualTo("kill");
        assertThat(parse("text/plain", "op=kill", null)).isEqualTo("kill");
        assertThat(parse(FORM, "op=kill", "op=kill")).isEqualTo("kill");
    }

    @Test
    void rejectsMissingOtherAndConflictingOps() {
        assertThat(reject(FORM, "", null).detail()).hasValueSatisfying(d -> assertThat(d).contains("op is required"));
        assertThat(reject(null, null, "").detail()).hasValueSatisfying(d -> assertThat(d).contains("op is required"));
        assertThat(reject(FORM, "op=", "op=").detail()).hasValueSatisfying(d -> assertThat(d).contains("op is required"));
        assertThat(reject("application/json", "{}", null).detail()).hasValueSatisfying(d -> assertThat(d).contains("required"));
        assertThat(reject(FORM, "op=restart", null).detail()).hasValueSatisfying(d -> assertThat(d).contains("'restart'"));
        assertThat(reject(FORM, "op=stop", "op=kill").detail()).hasValueSatisfying(d -> assertThat(d).contains("more than once"));
        assertThat(reject("application/json", "{\"op\":true}", null).detail())
                .hasValueSatisfying(d -> assertThat(d).contains("op must be a string"));
        assertThat(reject("application/json", "nope", null).detail()).hasValueSatisfying(d -> assertThat(d).contains("not valid JSON"));
        assertThat(reject("application/json", "[]", null).detail()).hasValueSatisfying(d -> assertThat(d).contains("JSON object"));
        assertThat(reject(FORM, "op=%", null).detail()).hasValueSatisfying(d -> assertThat(d).contains("form encoding"));
    }
}
