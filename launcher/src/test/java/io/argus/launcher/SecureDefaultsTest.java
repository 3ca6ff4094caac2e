package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.edge.hooks.HookSettings;
import io.argus.edge.security.ApiKeys;
import io.argus.extractor.source.FileRoots;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.runtime.Stage;
import io.argus.schemas.net.UrlGuard;

/** Secure by default on a network: no open API and no loopback allow-list on a non-loopback address. */
class SecureDefaultsTest {

    private static final ApiKeys KEYS = ApiKeys.fromString("k-0123456789abcdef");

    @TempDir
    Path dir;

    private RuntimeConfig config(String host, ApiKeys keys, UrlGuard urls) {
        return new RuntimeConfig(dir.resolve("data"), null, null, 1, (short) 1, 1, 1, 1, host, 0, "0",
                HookSettings.defaults(), Duration.ofDays(1), Stage.all(),
                new RuntimeConfig.Security(urls, keys, null, FileRoots.any()), null);
    }

    @Test
    void anOpenApiOnANetworkAddressRefusesToStartBeforeAnythingStarts() {
        for (String host : List.of("0.0.0.0", "::", "192.0.2.10")) {
            assertThatThrownBy(() -> ArgusRuntime.start(config(host, ApiKeys.open(), null)))
                    .as(host).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("refusing to serve the HTTP API on " + host + " without API keys")
                    .hasMessageContaining("ARGUS_API_KEYS").hasMessageContaining("--allow-anonymous");
        }
        assertThat(dir.resolve("data")).as("no broker, no data directory").doesNotExist();
    }

    @Test
    void keysLoopbackNoEdgeOrAllowAnonymousLetItStart() {
        assertThatCode(() -> config("0.0.0.0", KEYS, null).checkExposure()).doesNotThrowAnyException();
        assertThatCode(() -> config("127.0.0.1", ApiKeys.open(), null).checkExposure()).doesNotThrowAnyException();
        assertThatCode(() -> config("localhost", ApiKeys.open(), null).checkExposure()).doesNotThrowAnyException();
        assertThatCode(() -> config("0.0.0.0", ApiKeys.open(), null).withAllowAnonymous(true).checkExposure())
                .doesNotThrowAnyException();
        RuntimeConfig ingestOnly = new RuntimeConfig(dir, "k:9092", null, 1, (short) 1, 1, 1, 1, "0.0.0.0", -1, "0",
                HookSettings.defaults(), Duration.ofDays(1), Stage.parse("ingest"));
        assertThatCode(ingestOnly::checkExposure).doesNotThrowAnyException();
    }

    @Test
    void theDefaultUrlAllowListIsLoopbackOnlyOnALoopbackAddress() {
        assertThat(config("127.0.0.1", ApiKeys.open(), null).security().urls().allowList()).isEqualTo("loopback");
        assertThat(config("localhost", ApiKeys.open(), null).security().urls().allowList()).isEqualTo("loopback");
        UrlGuard network = config("0.0.0.0", KEYS, null).security().urls();
        assertThat(network.allowList()).isEmpty();
        assertThat(network.check("http://127.0.0.1:8080/v1/ops").refused()).isTrue();
        // a list that is set is kept, whatever the address
        assertThat(config("0.0.0.0", KEYS, UrlGuard.of("loopback,10.0.0.0/8")).security().urls().allowList())
                .isEqualTo("loopback,10.0.0.0/8");
    }

    @Test
    void theServerCommandExitsWithTheReasonAndNoStackTrace() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.argus.launcher.cli.ArgusCommand", "server", "--host", "0.0.0.0", "--port", "0",
                "--data-dir", dir.resolve("cli").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ARGUS_"));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the server exits at once").isTrue();
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("refusing to serve the HTTP API on 0.0.0.0 without API keys")
                .contains("--allow-anonymous").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(dir.resolve("cli").resolve("kafka")).doesNotExist();
    }
}
