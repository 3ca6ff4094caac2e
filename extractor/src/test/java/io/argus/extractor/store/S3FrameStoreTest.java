package io.argus.extractor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.argus.extractor.jpeg.JpegEncoder;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 frame store against a real S3-compatible server (s3proxy) running in this JVM. */
class S3FrameStoreTest {

    private static S3TestServer server;
    private static int buckets;
    private String bucket;
    private S3FrameStore store;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3TestServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void open() {
        bucket = "argus-test-" + (++buckets);
        server.createBucket(bucket);
        store = new S3FrameStore(server.config(bucket, "deploy/frames"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** @return every key of the bucket, read with a separate client */
    private List<String> objectKeys() {
        return server.client().listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    @Test
    void putGetRoundTripsAMegabyteAndAJpegUnderThePrefix() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        URI uri = store.put("job-1/00000001.bin", data);
        assertThat(uri).isEqualTo(URI.create("s3://" + bucket + "/deploy/frames/job-1/00000001.bin"));
        assertThat(store.get(uri)).isEqualTo(data);
        assertThat(server.client().getObjectAsBytes(r -> r.bucket(bucket).key("deploy/frames/job-1/00000001.bin"))
                .asByteArray()).isEqualTo(data);

        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        for (int x = 0; x < 64; x++) {
            img.setRGB(x, x % 48, 0xff0000);
        }
        byte[] jpeg;
        try (JpegEncoder encoder = new JpegEncoder()) {
            jpeg = encoder.encode(img);
        }
        URI jpegUri = store.put(StoreKeys.frame("job-1", 2), jpeg);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(store.get(jpegUri)));
        assertThat(back.getWidth()).isEqualTo(64);
        assertThat(back.getHeight()).isEqualTo(48);
        assertThat(server.client().headObject(r -> r.bucket(bucket).key("deploy/frames/job-1/00000002.jpg"))
                .contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void aFileIsUploadedWithoutBeingReadWholeAndStreamedBack() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("argus-s3", ".part");
        java.nio.file.Files.write(file, data);
        URI uri = store.moveIn("files/abc/video.mp4", file);
        assertThat(uri).isEqualTo(URI.create("s3://" + bucket + "/deploy/frames/files/abc/video.mp4"));
        assertThat(file).doesNotExist();
        try (var in = store.open(uri)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThatThrownBy(() -> store.open(URI.create("s3://" + bucket + "/deploy/frames/files/abc/none.mp4")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void putOverwritesInPlace() throws Exception {
        URI first = store.put("j/00000001.jpg", new byte[] {1, 2, 3});
        URI second = store.put("j/00000001.jpg", new byte[] {9});
        assertThat(second).isEqualTo(first);
        assertThat(store.get(first)).containsExactly(9);
        assertThat(objectKeys()).containsExactly("deploy/frames/j/00000001.jpg");
    }

    @Test
    void missingObjectIsNoSuchFileNamingTheUri() throws Exception {
        URI uri = store.put("j/00000001.jpg", new byte[] {1});
        assertThat(store.deletePrefix("j")).isEqualTo(1);
        assertThatThrownBy(() -> store.get(uri)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(uri.toString());
        URI never = URI.create("s3://" + bucket + "/deploy/frames/j/00000099.jpg");
        assertThatThrownBy(() -> store.get(never)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("00000099.jpg");
    }

    @Test
    void deletePrefixRemovesExactlyTheKeysBelowIt() throws Exception {
        for (String key : List.of("a/b/1.jpg", "a/b/2.jpg", "a/b/c/3.jpg", "a/bc/1.jpg", "a/b-1/1.jpg", "b/1.jpg")) {
            store.put(key, key.getBytes());
        }
        try (S3FrameStore otherPrefix = new S3FrameStore(server.config(bucket, "deploy"))) {
            otherPrefix.put("a/b/1.jpg", new byte[] {7}); // deploy/a/b/1.jpg: same relative key, other store
        }
        assertThat(store.deletePrefix("a/b")).isEqualTo(3);
        assertThat(objectKeys()).containsExactly("deploy/a/b/1.jpg", "deploy/frames/a/b-1/1.jpg",
                "deploy/frames/a/bc/1.jpg", "deploy/frames/b/1.jpg");
        assertThat(store.get(URI.create("s3://" + bucket + "/deploy/frames/a/bc/1.jpg"))).isEqualTo("a/bc/1.jpg".getBytes());
        assertThat(store.deletePrefix("a/b")).isZero();
        assertThat(store.deletePrefix("nothing-here")).isZero();
    }

    @Test
    void deletePrefixGoesThroughEveryPageInBatches() throws Exception {
        try (S3FrameStore small = new S3FrameStore(server.config(bucket, "deploy/frames"), 10)) {
            for (int i = 0; i < 25; i++) {
                small.put(StoreKeys.extraction("req-1", i, ".jpg"), new byte[] {(byte) i});
            }
            small.put(StoreKeys.extraction("req-10", 1, ".jpg"), new byte[] {1});
            assertThat(small.deletePrefix(StoreKeys.extractionPrefix("req-1"))).isEqualTo(25);
            // s3proxy by default refuses the SDK's checksum header on DeleteObjects: the store fell back.
            assertThat(small.batchDeletes()).isFalse();
        }
        assertThat(objectKeys()).containsExactly("deploy/frames/extractions/req-10/00000001.jpg");
    }

    @Test
    void deletePrefixUsesBatchRequestsWhereTheServerTakesThem() throws Exception {
        try (S3TestServer tolerant = new S3TestServer(true);
             S3FrameStore small = new S3FrameStore(tolerant.config("argus-batch", "f"), 10)) {
            tolerant.createBucket("argus-batch");
            for (int i = 0; i < 25; i++) {
                small.put("a/b/" + i + ".jpg", new byte[] {(byte) i});
            }
            small.put("a/bc/1.jpg", new byte[] {1});
            assertThat(small.deletePrefix("a/b")).isEqualTo(25);
            assertThat(small.batchDeletes()).isTrue();
            assertThat(tolerant.client().listObjectsV2(r -> r.bucket("argus-batch")).contents())
                    .extracting(S3Object::key).containsExactly("f/a/bc/1.jpg");
        }
    }

    @Test
    void aStoreAtTheBucketRootUsesPlainKeys() throws Exception {
        try (S3FrameStore rootStore = new S3FrameStore(server.config(bucket, ""))) {
            URI uri = rootStore.put("j/00000001.jpg", new byte[] {5});
            assertThat(uri).isEqualTo(URI.create("s3://" + bucket + "/j/00000001.jpg"));
            assertThat(rootStore.get(uri)).containsExactly(5);
            assertThatThrownBy(() -> rootStore.get(URI.create("s3://" + bucket + "/")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(objectKeys()).containsExactly("j/00000001.jpg");
    }

    private static final String[] BAD_KEYS = {"../secret.txt", "a/../../x", "/etc/passwd", "", "a//b", "a/./b", ".",
        "..", "%2e%2e/x", "..%2fx", "a\\..\\x", "C:/x", "a\0b", "a\nb", "a b", "ä", "a?b", "a#b", "x".repeat(201),
        ("a/").repeat(16) + "a"};

    @Test
    void badKeysAndForeignUrisAreRefusedBeforeAnyRequest() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        // Nothing listens there: a request would fail with an IOException, not IllegalArgumentException.
        S3StoreConfig dead = S3StoreConfig.of(bucket, "deploy/frames", URI.create("http://127.0.0.1:" + deadPort))
                .withCredentials("k", "s").withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));
        try (S3FrameStore offline = new S3FrameStore(dead)) {
            for (FrameStore s : new FrameStore[] {offline, store}) {
                for (String key : BAD_KEYS) {
                    assertThatThrownBy(() -> s.put(key, new byte[] {1})).as(key)
                            .isInstanceOf(IllegalArgumentException.class);
                    assertThatThrownBy(() -> s.deletePrefix(key)).as(key).isInstanceOf(IllegalArgumentException.class);
                }
                assertThatThrownBy(() -> s.put(null, new byte[] {1})).isInstanceOf(IllegalArgumentException.class);
            }
            String r = "s3://" + bucket + "/deploy/frames/";
            for (String uri : new String[] {r + "../x.jpg", r + "j/../../x.jpg", r + "%2e%2e/x.jpg",
                    r + "j/..%2F..%2Fx.jpg", r + "j/a%00b", r, r + "j//x.jpg",
                    "s3://" + bucket + "/deploy/x.jpg", "s3://" + bucket + "/deploy/frames-2/j/x.jpg",
                    "s3://" + bucket + "/deploy/framesj/x.jpg", "s3://other-bucket/deploy/frames/j/x.jpg",
                    "s3://user@" + bucket + "/deploy/frames/j/x.jpg", "s3://" + bucket + ":9000/deploy/frames/j/x.jpg",
                    r + "j/x.jpg?versionId=1", r + "j/x.jpg#f", "http://127.0.0.1:" + deadPort + "/" + bucket
                    + "/deploy/frames/j/x.jpg", "s3:deploy/frames/j/x.jpg", "file:///etc/passwd"}) {
                assertThatThrownBy(() -> offline.get(URI.create(uri))).as(uri)
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> offline.get(null)).isInstanceOf(IllegalArgumentException.class);
            // A valid key does reach the network, and the failure is an IOException naming the object.
            assertThatThrownBy(() -> offline.put("j/00000001.jpg", new byte[] {1})).isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://" + bucket + "/deploy/frames/j/00000001.jpg");
            assertThatThrownBy(() -> offline.get(URI.create(r + "j/00000001.jpg"))).isInstanceOf(IOException.class)
                    .isNotInstanceOf(NoSuchFileException.class).hasMessageContaining(r + "j/00000001.jpg");
            assertThatThrownBy(() -> offline.deletePrefix("j")).isInstanceOf(IOException.class)
                    .hasMessageContaining(r + "j/");
        }
        assertThat(objectKeys()).isEmpty();
    }

    @Test
    void aFileUriIsRefusedWithAMessageAboutUsingOneStore() {
        assertThatThrownBy(() -> store.get(URI.create("file:///var/lib/argus/frames/j/00000001.jpg")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file:")
                .hasMessageContaining("same --frame-store");
    }

    @Test
    void serverErrorsBecomeIoExceptionsWithTheServerCode() throws Exception {
        try (S3FrameStore wrongSecret = new S3FrameStore(server.config(bucket, "p").withCredentials(
                S3TestServer.ACCESS_KEY, "not-the-secret"))) {
            assertThatThrownBy(() -> wrongSecret.put("j/1.jpg", new byte[] {1})).isInstanceOf(IOException.class)
                    .hasMessageContaining("s3://" + bucket + "/p/j/1.jpg").hasMessageContaining("HTTP 403");
            assertThatThrownBy(wrongSecret::checkBucket).isInstanceOf(IOException.class)
                    .hasMessageContaining("denied").hasMessageContaining(bucket);
        }
        try (S3FrameStore noBucket = new S3FrameStore(server.config("no-such-bucket", "p"))) {
            assertThatThrownBy(noBucket::checkBucket).isInstanceOf(IOException.class)
                    .hasMessageContaining("no-such-bucket").hasMessageContaining("does not exist");
            assertThatThrownBy(() -> noBucket.get(URI.create("s3://no-such-bucket/p/j/1.jpg")))
                    .isInstanceOf(IOException.class).isNotInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("NoSuchBucket");
        }
        store.checkBucket();
        assertThat(objectKeys()).isEmpty();
    }

    @Test
    void storesAreSafeToUseFromManyThreads() throws Exception {
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 10; i++) {
                        byte[] data = ("t" + id + "-" + i).getBytes();
                        URI uri = store.put(StoreKeys.frame("job-" + id, i), data);
                        assertThat(store.get(uri)).isEqualTo(data);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(objectKeys()).hasSize(40);
    }
}
