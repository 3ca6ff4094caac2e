package io.argus.extractor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and URIs built from user input must stay inside the store's root. */
class LocalFrameStoreTest {

    @TempDir
    Path dir;
    private Path root;
    private Path outside;
    private LocalFrameStore store;

    @BeforeEach
    void open() throws Exception {
        root = dir.resolve("frames");
        outside = dir.resolve("secret.txt");
        Files.writeString(outside, "secret");
        store = new LocalFrameStore(root);
    }

    @Test
    void aFileIsMovedInAndStreamedBack() throws Exception {
        byte[] data = new byte[3 << 20];
        new java.util.Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("upload.part"), data);
        URI uri = store.moveIn("files/abc/video.mp4", file);
        assertThat(uri).isEqualTo(root.toRealPath().resolve("files/abc/video.mp4").toUri());
        assertThat(file).doesNotExist();
        try (var in = store.open(uri)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(store.pathOf(uri)).hasBinaryContent(data);
        assertThatThrownBy(() -> store.open(outside.toUri())).isInstanceOf(IllegalArgumentException.class);
        Path kept = Files.writeString(dir.resolve("kept"), "x");
        assertThatThrownBy(() -> store.moveIn("../escape", kept)).isInstanceOf(IllegalArgumentException.class);
        assertThat(kept).exists();
    }

    @Test
    void buffersAreStoredInOrderWithoutMovingThem() throws Exception {
        byte[] big = new byte[(1 << 20) * 2 + 12345]; // a heap buffer written in several pieces
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >> 11));
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(70_000);
        for (int i = 0; i < direct.capacity(); i++) {
            direct.put(i, (byte) (i ^ 0x5a));
        }
        ByteBuffer head = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}, 1, 3); // remaining: 2, 3, 4
        direct.position(10);
        ByteBuffer heap = ByteBuffer.wrap(big);
        URI uri = store.put("extractions/r1/00000001.flo", head, direct, heap);
        assertThat(head.position()).isEqualTo(1);
        assertThat(direct.position()).isEqualTo(10);
        assertThat(heap.position()).isZero();
        byte[] back = store.get(uri);
        assertThat(back).hasSize(3 + 69_990 + big.length);
        assertThat(Arrays.copyOf(back, 3)).containsExactly(2, 3, 4);
        for (int i = 10; i < 70_000; i++) {
            assertThat(back[3 + i - 10]).isEqualTo((byte) (i ^ 0x5a));
        }
        assertThat(Arrays.copyOfRange(back, 3 + 69_990, back.length)).isEqualTo(big);
        // replacing with fewer bytes leaves no tail, and no temporary file stays behind
        store.put("extractions/r1/00000001.flo", new byte[] {7});
        assertThat(store.get(uri)).containsExactly(7);
        try (var files = Files.list(root.resolve("extractions/r1"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("00000001.flo");
        }
        assertThatThrownBy(() -> store.put("../x.flo", direct)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultBufferPutConcatenatesIntoOneArray() throws Exception {
        byte[][] stored = new byte[1][];
        FrameStore minimal = new FrameStore() {
            @Override
            public URI put(String key, byte[] data) {
                stored[0] = data;
                return URI.create("mem:" + key);
            }

            @Override
            public byte[] get(URI uri) {
                return stored[0];
            }

            @Override
            public int deletePrefix(String prefix) {
                return 0;
            }
        };
        ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {4, 5, 6, 7}).flip();
        ByteBuffer heap = ByteBuffer.wrap(new byte[] {1, 2, 3});
        assertThat(minimal.put("k", heap, direct)).isEqualTo(URI.create("mem:k"));
        assertThat(stored[0]).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(heap.position()).isZero();
        assertThat(direct.position()).isZero();
    }

    private static final String[] ESCAPES = {"../secret.txt", "../../etc/passwd", "a/../../secret.txt", "/etc/passwd",
        "/", "", "a//b", "a/./b", ".", "..", "a/..", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt", "..%2fsecret.txt",
        "a\\..\\..\\secret.txt", "..\\secret.txt", "C:\\secret.txt", "C:/secret.txt", "a\0b", "a\nb", "a b", "ä",
        "x".repeat(201), ("a/").repeat(16) + "a", "x".repeat(150) + "/" + "y".repeat(150) + "/" + "z".repeat(150)
            + "/" + "w".repeat(150) + "/" + "v".repeat(150) + "/" + "u".repeat(150) + "/" + "t".repeat(150)};

    @Test
    void keysThatCouldEscapeAreRefusedEverywhere() {
        for (String key : ESCAPES) {
            assertThat(StoreKeys.validKey(key)).as(key).isFalse();
            assertThatThrownBy(() -> store.put(key, new byte[] {1})).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.deletePrefix(key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> StoreKeys.check(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(outside).hasContent("secret");
        assertThat(dir.resolve("etc")).doesNotExist();
    }

    @Test
    void builtKeysRefuseUserIdsThatAreNotOneSegment() {
        for (String id : new String[] {"..", "../x", "a/b", "%2e%2e", "a\\b", "a\0b", "x".repeat(201), ""}) {
            assertThatThrownBy(() -> StoreKeys.extractionPrefix(id)).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> StoreKeys.extraction(id, 1, ".jpg")).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> StoreKeys.frame(id, 1)).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThat(StoreKeys.validSegment(id)).as(id).isFalse();
        }
        assertThat(StoreKeys.extraction("4b1c-9e", 7, "-flow.jpg")).isEqualTo("extractions/4b1c-9e/00000007-flow.jpg");
        assertThat(StoreKeys.validSegment("...")).isTrue(); // an ordinary file name, not a parent reference
    }

    @Test
    void errorMessagesDoNotCarryControlCharactersOrWholeHugeKeys() {
        assertThatThrownBy(() -> StoreKeys.check("a\0b\nc")).hasMessageContaining("\\u0000").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> StoreKeys.check("x".repeat(5000))).message().hasSizeLessThan(200);
    }

    @Test
    void validKeysRoundTripAndDeleteStaysInsideItsPrefix() throws Exception {
        URI a = store.put("extractions/r1/00000001.jpg", new byte[] {1, 2});
        URI b = store.put("extractions/r10/00000001.jpg", new byte[] {3});
        assertThat(store.get(a)).containsExactly(1, 2);
        assertThat(Path.of(a).startsWith(store.root())).isTrue();
        assertThat(store.deletePrefix("extractions/r1")).isEqualTo(1);
        assertThat(store.get(b)).containsExactly(3);
        assertThat(outside).hasContent("secret");
    }

    @Test
    void getRefusesUrisOutsideTheRootInEverySpelling() throws Exception {
        store.put("j/00000001.jpg", new byte[] {9});
        String r = root.toUri().toString(); // ends with '/'
        for (String uri : new String[] {outside.toUri().toString(), r + "../secret.txt", r + "%2e%2e/secret.txt",
                r + "j/..%2F..%2Fsecret.txt", r + "j/%2E%2E/%2E%2E/secret.txt", r, r + "j/a%00b",
                "file:///etc/passwd", "http://127.0.0.1/j/00000001.jpg", r + "j/00000001.jpg.part"}) {
            assertThatThrownBy(() -> store.get(URI.create(uri))).as(uri)
                    .isInstanceOfAny(IllegalArgumentException.class, java.nio.file.NoSuchFileException.class);
        }
        assertThat(store.get(URI.create(r + "j/00000001.jpg"))).containsExactly(9);
    }
}
