package io.argus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.schemas.control.JobControls;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Save;
import io.argus.schemas.avro.Vframe;

/**
 * FrameExtraction on vtest.avi (a frame every 2 s over the first 9 s) into a real frame store:
 * every FRAME event points at the previous frame ({@code prev_uri}) and carries the ops' params
 * ({@code op_params}), so analyzers need neither per-job state nor the BEGIN marker. With
 * {@code params.save}, frames land under {@code <prefix>/<video_id>/<offset_ms>.jpg} and the
 * events carry those URIs, on a resumed run too.
 */
class FrameExtractionTest {

    @Test
    void framesChainToTheirPredecessorAndCarryOpParams(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        List<FrameEvent> events = new ArrayList<>();
        FrameSink sink = new FrameSink() {
            @Override
            public void send(FrameEvent event) {
                events.add(event);
            }

            @Override
            public void flush() {
            }
        };
        String motionParams = "{\"threshold\":30,\"labels\":[{\"label\":\"motion\",\"select\":2,\"score\":0.01}]}";
        JobRequest job = JobRequest.newBuilder()
                .setJobId("job-1").setVideoId("v").setUri(SampleVideos.ensure("vtest.avi").toString())
                .setVframe(new Vframe(0, 2.0, null, 9.0))
                .setOps(List.of(
                        OpSpec.newBuilder().setOp("motion").setParamsJson(motionParams).build(),
                        OpSpec.newBuilder().setOp("person").build()))
                .setCreatedAt(0).setRequestJson("{}")
                .build();

        long sent = new FrameExtraction(store).run(job, () -> false, JobControls.NONE, sink);

        List<FrameEvent> frames = events.stream().filter(e -> e.getKind() == FrameKind.FRAME).toList();
        assertThat(sent).isEqualTo(frames.size()).isEqualTo(5);
        assertThat(events.get(0).getKind()).isEqualTo(FrameKind.BEGIN);
        assertThat(events.get(events.size() - 1).getKind()).isEqualTo(FrameKind.END);
        assertThat(frames.get(0).getPrevUri()).isNull();
        for (int i = 0; i < frames.size(); i++) {
            FrameEvent f = frames.get(i);
            assertThat(f.getSeq()).isEqualTo(i);
            assertThat(f.getOps()).containsExactly("motion", "person");
            assertThat(f.getOpParams()).isEqualTo(Map.of("motion", motionParams));
            assertThat(store.get(URI.create(f.getUri()))).hasSize(f.getSizeBytes());
            if (i > 0) {
                assertThat(f.getPrevUri()).isEqualTo(frames.get(i - 1).getUri());
                assertThat(store.get(URI.create(f.getPrevUri()))).hasSize(frames.get(i - 1).getSizeBytes());
            }
        }
        assertThat(events.get(0).getPrevUri()).isNull();
        assertThat(events.get(0).getOpParams()).isEmpty();
    }

    @Test
    void aRunAfterAnEarlierOneSendsOnlyWhatIsMissing(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        JobRequest job = JobRequest.newBuilder()
                .setJobId("job-2").setVideoId("v").setUri(SampleVideos.ensure("vtest.avi").toString())
                .setVframe(new Vframe(0, 2.0, null, 9.0))
                .setOps(List.of(OpSpec.newBuilder().setOp("person").build()))
                .setCreatedAt(0).setRequestJson("{}")
                .build();
        List<FrameEvent> whole = new ArrayList<>();
        new FrameExtraction(store).run(job, () -> false, JobControls.NONE, collect(whole));
        assertThat(whole).hasSize(7); // BEGIN, 5 frames, END

        // an earlier run died after BEGIN and frames 0..2
        SentSoFar sent = SentSoFar.NOTHING;
        for (FrameEvent e : whole.subList(0, 4)) {
            sent = sent.with(e);
        }
        assertThat(sent.begun()).isTrue();
        assertThat(sent.lastSeq()).isEqualTo(2);
        List<FrameEvent> rest = new ArrayList<>();
        long frames = new FrameExtraction(store).run(job, () -> false, JobControls.NONE, sent, collect(rest));

        assertThat(frames).isEqualTo(5);
        assertThat(rest).extracting(FrameEvent::getKind)
                .containsExactly(FrameKind.FRAME, FrameKind.FRAME, FrameKind.END);
        for (int i = 0; i < 2; i++) {
            FrameEvent again = rest.get(i);
            FrameEvent first = whole.get(4 + i);
            assertThat(again.getSeq()).isEqualTo(first.getSeq());
            assertThat(again.getOffsetMs()).isEqualTo(first.getOffsetMs());
            assertThat(again.getUri()).isEqualTo(first.getUri());
        }
        assertThat(rest.get(0).getPrevUri()).as("the chain goes on from the earlier run's last frame")
                .isEqualTo(whole.get(3).getUri());
        assertThat(rest.get(2).getSeq()).isEqualTo(5);

        // a job whose END is in the log sends nothing
        List<FrameEvent> none = new ArrayList<>();
        SentSoFar done = sent.with(whole.get(4)).with(whole.get(5)).with(whole.get(6));
        assertThat(new FrameExtraction(store).run(job, () -> false, JobControls.NONE, done, collect(none))).isEqualTo(5);
        assertThat(none).isEmpty();
    }

    /**
     * A job without ops (the API refuses one, but ingest also serves frame-only extraction and the
     * extraction benchmark) is not "every op stopped": its frames are sent.
     */
    @Test
    void aJobWithoutOpsStillSendsItsFrames(@TempDir Path dir) throws Exception {
        JobRequest job = JobRequest.newBuilder()
                .setJobId("job-no-ops").setVideoId("v").setUri(SampleVideos.ensure("vtest.avi").toString())
                .setVframe(new Vframe(0, 2.0, null, 9.0))
                .setOps(List.of())
                .setCreatedAt(0).setRequestJson("{}")
                .build();
        List<FrameEvent> events = new ArrayList<>();

        long frames = new FrameExtraction(new LocalFrameStore(dir)).run(job, () -> false, JobControls.NONE,
                collect(events));

        assertThat(frames).isEqualTo(5);
        assertThat(events).extracting(FrameEvent::getKind).containsExactly(FrameKind.BEGIN, FrameKind.FRAME,
                FrameKind.FRAME, FrameKind.FRAME, FrameKind.FRAME, FrameKind.FRAME, FrameKind.END);
    }

    @Test
    void savedFramesLandUnderThePrefixAndTheEventsCarryTheirUris(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        JobRequest job = JobRequest.newBuilder()
                .setJobId("job-3").setVideoId("cam-1.front").setUri(SampleVideos.ensure("vtest.avi").toString())
                .setVframe(new Vframe(0, 2.0, null, 9.0))
                .setOps(List.of(OpSpec.newBuilder().setOp("motion").build()))
                .setSave(new Save("a-bucket", 3, "tenant_a/2024-05"))
                .setCreatedAt(0).setRequestJson("{}")
                .build();
        List<FrameEvent> events = new ArrayList<>();
        long sent = new FrameExtraction(store).run(job, () -> false, JobControls.NONE, collect(events));

        List<FrameEvent> frames = events.stream().filter(e -> e.getKind() == FrameKind.FRAME).toList();
        assertThat(sent).isEqualTo(frames.size()).isEqualTo(5);
        assertThat(frames).extracting(FrameEvent::getOffsetMs).containsExactly(0L, 2000L, 4000L, 6000L, 8000L);
        Path saved = dir.toRealPath().resolve("tenant_a").resolve("2024-05").resolve("cam-1.front");
        for (int i = 0; i < frames.size(); i++) {
            FrameEvent f = frames.get(i);
            Path file = saved.resolve(f.getOffsetMs() + ".jpg");
            assertThat(URI.create(f.getUri())).isEqualTo(file.toUri());
            assertThat(store.get(URI.create(f.getUri()))).hasSize(f.getSizeBytes()).isEqualTo(Files.readAllBytes(file));
            assertThat(f.getPrevUri()).isEqualTo(i == 0 ? null : frames.get(i - 1).getUri());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile)).as("each frame stored once, nothing under the job id")
                    .hasSize(5).allMatch(p -> p.startsWith(saved));
        }

        // a run after an earlier one that sent BEGIN and frames 0..1 writes the same names
        SentSoFar earlier = SentSoFar.NOTHING.with(events.get(0)).with(events.get(1)).with(events.get(2));
        List<FrameEvent> rest = new ArrayList<>();
        new FrameExtraction(store).run(job, () -> false, JobControls.NONE, earlier, collect(rest));
        List<FrameEvent> again = rest.stream().filter(e -> e.getKind() == FrameKind.FRAME).toList();
        assertThat(again).extracting(FrameEvent::getUri)
                .containsExactlyElementsOf(frames.subList(2, 5).stream().map(FrameEvent::getUri).toList());
        assertThat(again.get(0).getPrevUri()).isEqualTo(frames.get(1).getUri());

        assertThat(StoreKeys.savedFrame("p", "v", 2000)).isEqualTo("p/v/2000.jpg");
        assertThat(StoreKeys.savedFrame("p", "v", 2000, 7)).as("a repeated offset keeps both frames")
                .isEqualTo("p/v/2000-7.jpg");
    }

    @Test
    void aSavePrefixThatCouldEscapeEndsTheJobWithoutOpeningTheSource(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir.resolve("frames"));
        for (String[] bad : new String[][] {{"v", "../outside"}, {"v", "/etc"}, {"v", "a//b"}, {"v", "a\\b"},
                {"v", "extractions"}, {"..", "p"}, {"a/b", "p"}}) {
            JobRequest job = JobRequest.newBuilder()
                    .setJobId("job-4").setVideoId(bad[0]).setUri(SampleVideos.ensure("vtest.avi").toString())
                    .setVframe(new Vframe(0, 2.0, null, 9.0))
                    .setOps(List.of(OpSpec.newBuilder().setOp("motion").build()))
                    .setSave(new Save(null, null, bad[1]))
                    .setCreatedAt(0).setRequestJson("{}")
                    .build();
            List<FrameEvent> events = new ArrayList<>();
            long sent = new FrameExtraction(store).run(job, () -> false, JobControls.NONE, collect(events));

            assertThat(sent).isZero();
            assertThat(events).extracting(FrameEvent::getKind).as("video %s prefix %s", bad[0], bad[1])
                    .containsExactly(FrameKind.BEGIN, FrameKind.END);
            assertThat(events.get(1).getError().getCode()).isEqualTo(400);
            assertThat(events.get(1).getError().getMessage()).isEqualTo("invalid parameters");
        }
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile)).as("nothing written anywhere").isEmpty();
        }
    }

    private static FrameSink collect(List<FrameEvent> events) {
        return new FrameSink() {
            @Override
            public void send(FrameEvent event) {
                events.add(event);
            }

            @Override
            public void flush() {
            }
        };
    }
}
