package io.argus.edge.extract;

import static io.argus.edge.extract.IndexFixture.flow;
import static io.argus.edge.extract.IndexFixture.frame;
import static io.argus.edge.extract.IndexFixture.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionState;
import io.argus.schemas.avro.ExtractionStatus;

/** The index queries over the global stores of {@link ExtractionIndex#topology} (TopologyTestDriver). */
class ExtractionCatalogTest {

    @TempDir
    Path dir;
    private IndexFixture index;
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private ExtractionCatalog catalog;

    @BeforeEach
    void setUp() {
        index = new IndexFixture(dir);
        catalog = index.catalog(now::get);
    }

    @AfterEach
    void tearDown() {
        index.close();
    }

    private static List<String> keys(List<ExtractedItem> items) {
        return items.stream().map(ExtractionIds::itemKey).toList();
    }

    @Test
    void keysSortNumericallyBySequence() {
        assertThat(ExtractionIds.itemKey(frame("r1", "uniform", "v1", 7)))
                .isEqualTo("frame/uniform/v1/r1/0000000007");
        assertThat(ExtractionIds.itemKey(frame("r1", "uniform", "v1", 12)))
                .isGreaterThan(ExtractionIds.itemKey(frame("r1", "uniform", "v1", 9)));
        assertThat(ExtractionIds.storePrefix("r1")).isEqualTo("extractions/r1");
    }

    @Test
    void itemsByPatternAndVideoInKeyOrderUpToCount() {
        for (long seq = 11; seq >= 0; seq--) { // written out of order
            index.put(frame("r1", "uniform", "v1", seq));
        }
        index.put(frame("r2", "uniform", "v10", 0)); // "v1" must not match "v10"
        index.put(frame("r3", "random", "v1", 0));
        index.put(flow("r4", "uniform", "v1", 0));

        List<ExtractedItem> all = catalog.items(ExtractionKind.FRAME, ExtractionPattern.UNIFORM, null, 100);
        assertThat(all).hasSize(13);
        assertThat(keys(all)).isSorted();
        assertThat(all.get(0).getSeq()).isZero();
        assertThat(all.get(11).getSeq()).isEqualTo(11);
        assertThat(all.get(12).getVideoId()).isEqualTo("v10");

        List<ExtractedItem> v1 = catalog.items(ExtractionKind.FRAME, ExtractionPattern.UNIFORM, "v1", 5);
        assertThat(v1).extracting(ExtractedItem::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(catalog.items(ExtractionKind.FRAME, ExtractionPattern.UNIFORM, "v10", 10)).hasSize(1);
        assertThat(catalog.items(ExtractionKind.FRAME, ExtractionPattern.RANDOM, null, 10))
                .extracting(ExtractedItem::getRequestId).containsExactly("r3");
        assertThat(catalog.items(ExtractionKind.FLOW, ExtractionPattern.UNIFORM, null, 10))
                .extracting(ExtractedItem::getRequestId).containsExactly("r4");
        assertThat(catalog.items(ExtractionKind.FRAME, ExtractionPattern.SCENE, null, 10)).isEmpty();
        assertThat(catalog.items(ExtractionKind.FRAME, ExtractionPattern.UNIFORM, "v2", 10)).isEmpty();
    }

    @Test
    void tombstonesRemoveItemsAndStatuses() {
        index.put(frame("r1", "keyframe", "v1", 0));
        index.put(frame("r1", "keyframe", "v1", 1));
        index.put(status("r1", ExtractionKind.FRAME, "keyframe", "v1", ExtractionState.FINISHED, 2, now.get()));
        index.tombstoneItem("frame/keyframe/v1/r1/0000000000");
        assertThat(catalog.items(ExtractionKind.FRAME, ExtractionPattern.KEYFRAME, null, 10))
                .extracting(ExtractedItem::getSeq).containsExactly(1L);
        assertThat(catalog.stored(catalog.status("r1").orElseThrow())).isEqualTo(1);
        index.tombstoneStatus("r1");
        assertThat(catalog.status("r1")).isEmpty();
    }

    @Test
    void historyNewestFirstWithStoredCountsAndFilters() {
        long t = now.get();
        index.put(status("old", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 3, t - 3000));
        index.put(status("mid", ExtractionKind.FRAME, "random", "v2", ExtractionState.FAILED, 0, t - 2000));
        index.put(status("new", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.DOING, 1, t - 1000));
        index.put(status("flw", ExtractionKind.FLOW, "uniform", "v1", ExtractionState.WAITING, 0, t));
        for (long s = 0; s < 3; s++) {
            index.put(frame("old", "uniform", "v1", s));
        }
        index.put(frame("new", "uniform", "v1", 0));

        List<ExtractionSummary> h = catalog.history(ExtractionKind.FRAME, null, 20);
        assertThat(h).extracting(s -> s.status().getRequestId()).containsExactly("new", "mid", "old");
        assertThat(h).extracting(ExtractionSummary::stored).containsExactly(1L, 0L, 3L);
        assertThat(h.get(1).state()).isEqualTo(ExtractionState.FAILED);
        assertThat(h.get(1).status().getError().getMessage()).isEqualTo("cannot open the video");

        assertThat(catalog.history(ExtractionKind.FRAME, "v1", 20)).extracting(s -> s.status().getRequestId())
                .containsExactly("new", "old");
        assertThat(catalog.history(ExtractionKind.FRAME, null, 1)).extracting(s -> s.status().getRequestId())
                .containsExactly("new");
        assertThat(catalog.history(ExtractionKind.FLOW, null, 20)).extracting(s -> s.status().getRequestId())
                .containsExactly("flw");
        assertThat(catalog.summary(ExtractionKind.FRAME, "old")).get()
                .extracting(ExtractionSummary::stored).isEqualTo(3L);
        assertThat(catalog.summary(ExtractionKind.FLOW, "old")).isEmpty();
        assertThat(catalog.summary(ExtractionKind.FRAME, "nope")).isEmpty();
    }

    @Test
    void finishedFlowShowsDoingUntilEveryPairIsStored() {
        ExtractionStatus finished = status("f1", ExtractionKind.FLOW, "uniform", "v1", ExtractionState.FINISHED, 3,
                now.get());
        index.put(finished);
        index.put(flow("f1", "uniform", "v1", 0));
        index.put(flow("f1", "uniform", "v1", 1));
        assertThat(catalog.summary(ExtractionKind.FLOW, "f1").orElseThrow().state()).isEqualTo(ExtractionState.DOING);
        index.put(flow("f1", "uniform", "v1", 2));
        ExtractionSummary s = catalog.summary(ExtractionKind.FLOW, "f1").orElseThrow();
        assertThat(s.state()).isEqualTo(ExtractionState.FINISHED);
        assertThat(s.stored()).isEqualTo(3);
        // frames are never "DOING" because of the count
        ExtractionStatus frames = status("x", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 5, 0);
        assertThat(ExtractionSummary.shownState(frames, 0)).isEqualTo(ExtractionState.FINISHED);
        ExtractionStatus failedFlow = status("y", ExtractionKind.FLOW, "uniform", "v1", ExtractionState.FAILED, 5, 0);
        assertThat(ExtractionSummary.shownState(failedFlow, 0)).isEqualTo(ExtractionState.FAILED);
    }

    @Test
    void overlayShowsOwnSubmissionsAndHidesOwnDeletionsForATime() {
        ExtractionStatus waiting = status("w1", ExtractionKind.FRAME, "scene", "v1", ExtractionState.WAITING, 0,
                now.get());
        catalog.noteSubmitted(waiting);
        assertThat(catalog.status("w1")).contains(waiting);
        assertThat(catalog.history(ExtractionKind.FRAME, null, 10)).hasSize(1);
        // the store wins once it has the request
        ExtractionStatus doing = ExtractionStatus.newBuilder(waiting).setState(ExtractionState.DOING).build();
        index.put(doing);
        assertThat(catalog.status("w1")).contains(doing);
        assertThat(catalog.history(ExtractionKind.FRAME, null, 10)).hasSize(1);

        index.put(frame("w1", "scene", "v1", 0));
        catalog.noteDeleted("w1");
        assertThat(catalog.status("w1")).isEmpty();
        assertThat(catalog.history(ExtractionKind.FRAME, null, 10)).isEmpty();
        assertThat(catalog.items(ExtractionKind.FRAME, ExtractionPattern.SCENE, null, 10)).isEmpty();
        now.addAndGet(ExtractionCatalog.DEFAULT_OVERLAY_TTL.toMillis() + 1);
        assertThat(catalog.status("w1")).isPresent(); // tombstones never came: the store shows it again

        catalog.noteSubmitted(status("w2", ExtractionKind.FRAME, "scene", "v1", ExtractionState.WAITING, 0, now.get()));
        now.addAndGet(ExtractionCatalog.DEFAULT_OVERLAY_TTL.toMillis() + 1);
        assertThat(catalog.status("w2")).isEmpty();
    }

    @Test
    void deleterRemovesFilesThenItemsThenStatus() {
        DriverSink sink = new DriverSink(index);
        MemoryStorage storage = new MemoryStorage();
        ExtractionDeleter deleter = new ExtractionDeleter(catalog, sink, storage);
        ExtractionStatus r1 = status("r1", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 2, now.get());
        ExtractionStatus r2 = status("r2", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 1, now.get());
        index.put(r1);
        index.put(r2);
        index.put(frame("r1", "uniform", "v1", 0));
        index.put(frame("r1", "uniform", "v1", 1));
        index.put(frame("r2", "uniform", "v1", 0));
        storage.add("extractions/r1/0.jpg");
        storage.add("extractions/r1/1.jpg");
        storage.add("extractions/r10/0.jpg");
        storage.add("extractions/r2/0.jpg");

        DeleteResult d = deleter.delete(List.of(r1));
        assertThat(d).isEqualTo(new DeleteResult(List.of("r1"), 2, 2));
        assertThat(storage.deletedPrefixes).containsExactly("extractions/r1");
        assertThat(storage.files).containsOnlyKeys("extractions/r10/0.jpg", "extractions/r2/0.jpg");
        assertThat(sink.itemTombstones).containsExactly("frame/uniform/v1/r1/0000000000", "frame/uniform/v1/r1/0000000001");
        assertThat(sink.statusTombstones).containsExactly("r1");
        // the tombstones really emptied the global stores
        assertThat(index.itemStore().get("frame/uniform/v1/r1/0000000000")).isNull();
        assertThat(index.statusStore().get("r1")).isNull();
        assertThat(index.itemStore().get("frame/uniform/v1/r2/0000000000")).isNotNull();
    }

    @Test
    void failedDeletionKeepsTheStatusAndReportsWhatWasDone() {
        DriverSink sink = new DriverSink(index);
        MemoryStorage storage = new MemoryStorage();
        ExtractionDeleter deleter = new ExtractionDeleter(catalog, sink, storage);
        ExtractionStatus a = status("a", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 0, 1);
        ExtractionStatus b = status("b", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 0, 2);
        index.put(a);
        index.put(b);
        // fail on the second request's storage
        ExtractionStorage flaky = prefix -> {
            if (prefix.endsWith("/b")) {
                throw new java.io.IOException("disk on fire");
            }
            return storage.deletePrefix(prefix);
        };
        ExtractionDeleter partial = new ExtractionDeleter(catalog, sink, flaky);
        assertThatThrownBy(() -> partial.delete(List.of(a, b)))
                .isInstanceOfSatisfying(ExtractionDeleteException.class, e -> {
                    assertThat(e.done()).isEqualTo(new DeleteResult(List.of("a"), 0, 0));
                    assertThat(e.getMessage()).contains("of b").contains("disk on fire");
                });
        assertThat(index.statusStore().get("a")).isNull();
        assertThat(index.statusStore().get("b")).isNotNull();
        assertThat(catalog.status("b")).isPresent();

        sink.failing = true;
        assertThatThrownBy(() -> deleter.delete(List.of(b)))
                .isInstanceOfSatisfying(ExtractionDeleteException.class,
                        e -> assertThat(e.done()).isEqualTo(DeleteResult.NONE));
        assertThat(sink.statusTombstones).containsExactly("a");
        assertThat(catalog.status("b")).isPresent();
    }

    @Test
    void retentionDeletesRequestsWhoseLastStatusIsOlderThanTheRetention() {
        DriverSink sink = new DriverSink(index);
        MemoryStorage storage = new MemoryStorage();
        ExtractionDeleter deleter = new ExtractionDeleter(catalog, sink, storage);
        long day = 86_400_000L;
        long t = now.get();
        // updated_at = created_at + 1 s
        index.put(status("ancient", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 1, t - 8 * day));
        index.put(status("stuck", ExtractionKind.FLOW, "random", "v2", ExtractionState.DOING, 0, t - 7 * day - 2000));
        index.put(status("recent", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 1, t - 6 * day));
        index.put(frame("ancient", "uniform", "v1", 0));
        index.put(frame("recent", "uniform", "v1", 0));
        storage.add("extractions/ancient/0.jpg");
        storage.add("extractions/recent/0.jpg");

        ExtractionRetention retention = new ExtractionRetention(catalog, deleter, ExtractionRetention.DEFAULT_RETENTION,
                ExtractionRetention.DEFAULT_PERIOD, now::get);
        DeleteResult r = retention.sweepOnce();
        assertThat(r.requests()).containsExactlyInAnyOrder("ancient", "stuck");
        assertThat(r.items()).isEqualTo(1);
        assertThat(r.files()).isEqualTo(1);
        assertThat(index.statusStore().get("ancient")).isNull();
        assertThat(index.statusStore().get("stuck")).isNull();
        assertThat(index.statusStore().get("recent")).isNotNull();
        assertThat(storage.files).containsOnlyKeys("extractions/recent/0.jpg");
        assertThat(retention.sweepOnce()).isEqualTo(DeleteResult.NONE);

        now.addAndGet(2 * day);
        assertThat(retention.sweepOnce().requests()).containsExactly("recent");
        assertThat(catalog.items(ExtractionKind.FRAME, ExtractionPattern.UNIFORM, null, 10)).isEmpty();
    }

    @Test
    void retentionRunsPeriodically() throws Exception {
        DriverSink sink = new DriverSink(index);
        ExtractionDeleter deleter = new ExtractionDeleter(catalog, sink, new MemoryStorage());
        index.put(status("old", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 0, 0));
        try (ExtractionRetention retention = new ExtractionRetention(catalog, deleter,
                java.time.Duration.ofDays(1), java.time.Duration.ofMillis(50), now::get)) {
            retention.start();
            long deadline = System.currentTimeMillis() + 5000;
            while (sink.statusTombstones.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        }
        assertThat(sink.statusTombstones).containsExactly("old");
    }
}
