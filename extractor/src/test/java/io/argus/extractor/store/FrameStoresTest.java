package io.argus.extractor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frame-store locations: local paths, file: URIs and s3:// URIs, against a real S3-compatible server. */
class FrameStoresTest {

    private static S3TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3TestServer();
        server.createBucket("argus-frames");
        // The default AWS credentials chain reads these system properties first; they are set
        // before any store is built so the chain never looks further (no instance-metadata call).
        System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
    }

    @AfterAll
    static void stopServer() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        server.close();
    }

    @Test
    void pathsAndFileUrisOpenALocalStore() throws Exception {
        try (FrameStore s = FrameStores.open(null, dir.resolve("default"))) {
            assertThat(((LocalFrameStore) s).root()).isEqualTo(dir.resolve("default").toRealPath());
        }
        try (FrameStore s = FrameStores.open("  ", dir.resolve("default2"))) {
            assertThat(((LocalFrameStore) s).root()).isEqualTo(dir.resolve("default2").toRealPath());
        }
        try (FrameStore s = FrameStores.open(dir.resolve("plain dir").toString(), dir.resolve("unused"))) {
            assertThat(((LocalFrameStore) s).root()).isEqualTo(dir.resolve("plain dir").toRealPath());
            URI uri = s.put("j/00000001.jpg", new byte[] {4});
            assertThat(uri.getScheme()).isEqualTo("file");
            assertThat(s.get(uri)).containsExactly(4);
        }
        try (FrameStore s = FrameStores.open(dir.resolve("by-uri").toUri().toString())) {
            assertThat(((LocalFrameStore) s).root()).isEqualTo(dir.resolve("by-uri").toRealPath());
        }
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    @Test
    void anS3LocationOpensAWorkingStoreWithTheDefaultCredentialsChain() throws Exception {
        String location = "s3://argus-frames/prod/frames?endpoint=" + server.endpoint() + "&region=us-east-1";
        URI uri;
        try (FrameStore s = FrameStores.open(location, dir.resolve("unused"))) {
            assertThat(s).isInstanceOf(S3FrameStore.class);
            uri = s.put(StoreKeys.frame("job-7", 3), new byte[] {1, 2, 3});
            assertThat(uri).isEqualTo(URI.create("s3://argus-frames/prod/frames/job-7/00000003.jpg"));
            assertThat(s.get(uri)).containsExactly(1, 2, 3);
        }
        // Another process (stage) opening the same location reads what the first one wrote.
        try (FrameStore s = FrameStores.open(location)) {
            assertThat(s.get(uri)).containsExactly(1, 2, 3);
            assertThat(s.deletePrefix("job-7")).isEqualTo(1);
        }
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    @Test
    void openingFailsAtOnceForAMissingBucketOrWrongCredentials() {
        assertThatThrownBy(() -> FrameStores.open("s3://no-such-bucket?endpoint=" + server.endpoint()))
                .isInstanceOf(IOException.class).hasMessageContaining("no-such-bucket")
                .hasMessageContaining("does not exist");
        System.setProperty("aws.secretAccessKey", "wrong");
        try {
            assertThatThrownBy(() -> FrameStores.open("s3://argus-frames?endpoint=" + server.endpoint()))
                    .isInstanceOf(IOException.class).hasMessageContaining("denied")
                    .hasMessageContaining("AWS_SECRET_ACCESS_KEY");
        } finally {
            System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
        }
    }

    @Test
    void s3LocationsParseWithDefaults() {
        S3StoreConfig full = S3StoreConfig.parse("s3://argus-frames/prod/frames/?endpoint=http%3A%2F%2F10.1.2.3%3A9000"
                + "&region=eu-west-3&path_style=false&connect_timeout_ms=250&request_timeout_ms=4000");
        assertThat(full.bucket()).isEqualTo("argus-frames");
        assertThat(full.prefix()).isEqualTo("prod/frames");
        assertThat(full.endpoint()).isEqualTo(URI.create("http://10.1.2.3:9000"));
        assertThat(full.region()).isEqualTo("eu-west-3");
        assertThat(full.pathStyle()).isFalse();
        assertThat(full.connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(full.requestTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(full.accessKey()).isNull();

        S3StoreConfig unencoded = S3StoreConfig.parse("s3://argus-frames?endpoint=https://s3.example.org:8443");
        assertThat(unencoded.endpoint()).isEqualTo(URI.create("https://s3.example.org:8443"));
        assertThat(unencoded.prefix()).isEmpty();
        assertThat(unencoded.pathStyle()).isTrue(); // a custom endpoint defaults to path-style addressing

        S3StoreConfig aws = S3StoreConfig.parse("S3://my.bucket.v2/a");
        assertThat(aws.endpoint()).isNull();
        assertThat(aws.pathStyle()).isFalse();
        String envRegion = System.getenv("AWS_REGION");
        assertThat(aws.region()).isEqualTo(envRegion == null || envRegion.isBlank() ? "us-east-1" : envRegion.trim());
        assertThat(aws.connectTimeout()).isEqualTo(S3StoreConfig.DEFAULT_CONNECT_TIMEOUT);
        assertThat(aws.requestTimeout()).isEqualTo(S3StoreConfig.DEFAULT_REQUEST_TIMEOUT);
        assertThat(S3StoreConfig.parse(full.location())).isEqualTo(full);
    }

    @Test
    void badLocationsAreRefusedWithAClearMessage() {
        String[][] cases = {
            {"s3://", "without a bucket"},
            {"s3:///prefix", "without a bucket"},
            {"s3:bucket/prefix", "not an s3://bucket/prefix location"},
            {"s3://AB", "bad S3 bucket name"},
            {"s3://Argus-Frames/p", "bad S3 bucket name"},
            {"s3://argus_frames/p", "bad S3 bucket name"},
            {"s3://-argus/p", "bad S3 bucket name"},
            {"s3://a..b/p", "bad S3 bucket name"},
            {"s3://" + "b".repeat(64), "bad S3 bucket name"},
            {"s3://argus/../etc", "bad S3 frame-store prefix"},
            {"s3://argus/a//b", "bad S3 frame-store prefix"},
            {"s3://argus/a/%2e%2e/b", "bad S3 frame-store prefix"},
            {"s3://argus/a b", "bad S3 frame-store location"},
            {"s3://key:secret@argus/p", "must not carry credentials"},
            {"s3://argus:9000/p", "give the server as ?endpoint="},
            {"s3://argus/p#x", "fragment"},
            {"s3://argus/p?path-style=true", "unknown S3 frame-store parameter 'path-style'"},
            {"s3://argus/p?endpoint", "expected name=value"},
            {"s3://argus/p?region=a&region=b", "given twice"},
            {"s3://argus/p?path_style=yes", "bad path_style"},
            {"s3://argus/p?connect_timeout_ms=fast", "bad connect_timeout_ms"},
            {"s3://argus/p?request_timeout_ms=0", "between 1 ms and 1 hour"},
            {"s3://argus/p?region=eu%20west", "bad S3 region"},
            {"s3://argus/p?endpoint=ftp://host", "bad S3 endpoint"},
            {"s3://argus/p?endpoint=localhost:9000", "bad S3 endpoint"},
            {"s3://argus/p?endpoint=http:///x", "bad S3 endpoint"},
            {"s3://argus/p?endpoint=http://u:p@host", "must not carry credentials"},
            {"s3://argus/p?endpoint=http://host%3Fa%3Db", "query or fragment"},
            {"s3://argus/p?endpoint=%zz", "Malformed escape pair"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> FrameStores.open(c[0])).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c[1]);
        }
        for (String other : new String[] {"gs://bucket/p", "http://127.0.0.1:9000/bucket", "hdfs://nn/frames"}) {
            assertThatThrownBy(() -> FrameStores.open(other)).as(other)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported frame-store location");
        }
        assertThatThrownBy(() -> FrameStores.open("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> FrameStores.open("file:relative/frames")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file:///absolute/path");
        for (String withSecret : new String[] {"s3://AKID:wJalrXUtnFEMI@argus/p", "s3://AKID:wJalrXUtnFEMI@argus/a b",
            "https://AKID:wJalrXUtnFEMI@s3.example.org/b", "s3://argus/p?endpoint=ftp://AKID:wJalrXUtnFEMI@host"}) {
            assertThatThrownBy(() -> FrameStores.open(withSecret)).as(withSecret)
                    .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("wJalrXUtnFEMI");
        }
    }

    @Test
    void configurationRefusesHalfCredentialsAndHidesTheSecret() {
        S3StoreConfig c = S3StoreConfig.of("argus", "p", null);
        assertThatThrownBy(() -> c.withCredentials("key", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("together");
        assertThat(c.withCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI").toString()).contains("AKIDEXAMPLE")
                .doesNotContain("wJalrXUtnFEMI");
        assertThatThrownBy(() -> c.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connect timeout");
    }
}
