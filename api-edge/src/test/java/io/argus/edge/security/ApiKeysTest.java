package io.argus.edge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.javalin.http.HandlerType;

class ApiKeysTest {

    private static final String A = "aaaaaaaaaaaaaaaa-1";
    private static final String B = "bbbbbbbbbbbbbbbb-2";

    @TempDir
    Path dir;

    @Test
    void fileHoldsOneKeyPerLineWithCommentsAndBlanks() throws Exception {
        Path f = dir.resolve("keys");
        Files.writeString(f, "# edge keys\n\n  " + A + "  \n   # rotated 2024\n" + B + "\n" + A + "\n");
        ApiKeys keys = ApiKeys.fromFile(f);
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.accepts(A)).isTrue();
        assertThat(keys.accepts(B)).isTrue();
        assertThat(keys.accepts("# edge keys")).isFalse();
        assertThat(keys.accepts(A + " ")).isFalse();
        assertThat(keys.accepts(null)).isFalse();
        assertThat(keys.isOpen()).isFalse();
    }

    @Test
    void aFileWithoutKeysIsAnErrorNotAnOpenEdge() throws Exception {
        Path f = dir.resolve("empty");
        Files.writeString(f, "# nothing yet\n\n");
        assertThatThrownBy(() -> ApiKeys.fromFile(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no key");
    }

    @Test
    void badKeysAreRejectedWithoutShowingThem() throws Exception {
        Path f = dir.resolve("short");
        Files.writeString(f, A + "\nshort-secret\n");
        assertThatThrownBy(() -> ApiKeys.fromFile(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2").hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> ApiKeys.fromString(A + ",with blank inside-x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("inside");
        assertThatThrownBy(() -> ApiKeys.of(List.of("é".repeat(20)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void environmentIsCommaSeparatedAndBlankMeansOpen() {
        ApiKeys env = ApiKeys.fromEnvironment(Map.of(ApiKeys.ENV, " " + A + " ,, " + B + ","));
        assertThat(env.size()).isEqualTo(2);
        assertThat(env.accepts(B)).isTrue();
        assertThat(ApiKeys.fromEnvironment(Map.of()).isOpen()).isTrue();
        assertThat(ApiKeys.fromEnvironment(Map.of(ApiKeys.ENV, "  ")).isOpen()).isTrue();
        assertThat(ApiKeys.open().accepts(null)).isTrue();
    }

    @Test
    void unionAndToStringNeverShowKeys() {
        ApiKeys both = ApiKeys.of(List.of(A)).and(ApiKeys.fromString(B + "," + A));
        assertThat(both.size()).isEqualTo(2);
        assertThat(both.accepts(A) && both.accepts(B)).isTrue();
        assertThat(both.toString()).isEqualTo("ApiKeys[2 keys]").doesNotContain(A);
        assertThat(ApiKeys.open().and(ApiKeys.open()).isOpen()).isTrue();
        assertThat(ApiKeys.open().toString()).isEqualTo("ApiKeys[open]");
    }

    @Test
    void presentedKeyPrefersBearerThenXApiKey() {
        assertThat(ApiKeys.presentedKey("Bearer " + A, B)).isEqualTo(A);
        assertThat(ApiKeys.presentedKey("BEARER   " + A + " ", null)).isEqualTo(A);
        assertThat(ApiKeys.presentedKey("Basic " + A, B)).isEqualTo(B);
        assertThat(ApiKeys.presentedKey("Bearer ", null)).isNull();
        assertThat(ApiKeys.presentedKey(null, " ")).isNull();
    }

    @Test
    void openRoutesAreHealthzTheDescriptionAndRegistryReads() {
        assertThat(ApiKeys.isOpenRoute(HandlerType.GET, "/healthz")).isTrue();
        assertThat(ApiKeys.isOpenRoute(HandlerType.GET, "/openapi.json")).isTrue();
        assertThat(ApiKeys.isOpenRoute(HandlerType.GET, "/subjects")).isTrue();
        assertThat(ApiKeys.isOpenRoute(HandlerType.GET, "/schemas/ids/3")).isTrue();
        assertThat(ApiKeys.isOpenRoute(HandlerType.POST, "/subjects/x/versions")).isFalse();
        assertThat(ApiKeys.isOpenRoute(HandlerType.POST, "/subjects/x")).isFalse();
        assertThat(ApiKeys.isOpenRoute(HandlerType.GET, "/subjectsx")).isFalse();
        assertThat(ApiKeys.isOpenRoute(HandlerType.GET, "/v1/ops")).isFalse();
        assertThat(ApiKeys.isOpenRoute(HandlerType.DELETE, "/frame/x")).isFalse();
    }
}
