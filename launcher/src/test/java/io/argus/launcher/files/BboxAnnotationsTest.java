package io.argus.launcher.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.media.render.Annotations;
import io.argus.media.render.Overlay;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.TrackBox;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrackPhase;

/**
 * What {@code /video/bbox} draws from a job's records: a track missed on one analysed frame keeps
 * its box there (interpolated), tentative tracks are not drawn, faces are held, boxes are scaled from
 * the analysed frame's size to the video's, and debug adds the raw detections in grey and a caption.
 */
class BboxAnnotationsTest {

    static TrackBox box(long id, TrackPhase state, boolean matched, double l, double t, double r, double b) {
        return TrackBox.newBuilder().setTrackId(id).setLabel("person").setScore(0.9).setState(state)
                .setMatched(matched).setLeft(l).setTop(t).setRight(r).setBottom(b).build();
    }

    static TrackFrame frame(long seq, long ms, int width, List<TrackBox> boxes) {
        return TrackFrame.newBuilder().setJobId("j").setVideoId("v").setOp("detection").setSeq(seq).setOffsetMs(ms)
                .setWidth(width).setHeight(width * 9 / 16).setUri(null).setEnd(false).setTracks(boxes).build();
    }

    static FrameResult result(String op, long seq, long ms, int l, int t, int r, int b) {
        List<Detection> d = new ArrayList<>();
        d.add(Detection.newBuilder().setLabel(op.equals("face_detect") ? "face" : "person").setScore(0.8f)
                .setBox(Box.newBuilder().setLeft(l).setTop(t).setRight(r).setBottom(b).build()).build());
        return FrameResult.newBuilder().setJobId("j").setVideoId("v").setOp(op).setSeq(seq).setOffsetMs(ms)
                .setCaptureTimeMs(null).setUri(null).setLabels(List.of()).setDetections(d).setResultJson("{}")
                .setError(null).setProcessingMs(1).setAnalyzer(null).build();
    }

    static List<TrackFrame> tracks(int width) {
        return List.of(
                frame(0, 0, width, List.of(box(1, TrackPhase.CONFIRMED, true, 100, 100, 200, 300),
                        box(2, TrackPhase.TENTATIVE, true, 400, 100, 450, 150))),
                frame(1, 200, width, List.of(box(1, TrackPhase.LOST, false, 130, 100, 230, 300))),
                frame(2, 400, width, List.of(box(1, TrackPhase.CONFIRMED, true, 140, 100, 240, 300))),
                TrackFrame.newBuilder(frame(3, 400, width, List.of())).setEnd(true).build());
    }

    @Test
    void aTrackMissedOnOneFrameIsDrawnThereAndTentativeOnesAreNot() {
        Annotations a = BboxAnnotations.of(tracks(1280), List.of(result("face_detect", 1, 200, 150, 110, 170, 130)),
                1280, 720, false);
        List<Overlay> at0 = a.overlaysAt(0, 20);
        assertThat(at0).hasSize(1);
        assertThat(at0.get(0).trackId()).isEqualTo(1);
        // the analysed frame at 200 ms, where the tracker lost it: halfway between 100 and 140
        List<Overlay> at200 = a.overlaysAt(200, 20);
        assertThat(at200).extracting(Overlay::trackId).containsExactlyInAnyOrder(1L, Overlay.NO_TRACK);
        Overlay person = at200.stream().filter(Overlay::tracked).findFirst().orElseThrow();
        assertThat(person.x()).isCloseTo(120, within(1e-9));
        Overlay face = at200.stream().filter(o -> !o.tracked()).findFirst().orElseThrow();
        assertThat(face.label()).isEqualTo("face");
        assertThat(face.width()).isEqualTo(20);
        // between analysed frames: interpolated, no blink
        assertThat(a.overlaysAt(300, 20)).filteredOn(Overlay::tracked).singleElement()
                .satisfies(o -> assertThat(o.x()).isCloseTo(130, within(1e-9)));
        assertThat(a.captionAt(300)).isEmpty();
    }

    @Test
    void boxesAreScaledToTheVideoAndDebugAddsRawDetectionsAndCaptions() {
        // analysed at 640 wide, drawn on 1280: twice the size
        Annotations a = BboxAnnotations.of(tracks(640), List.of(result("detection", 0, 0, 10, 20, 30, 60)), 1280, 720,
                true);
        List<Overlay> at0 = a.overlaysAt(0, 20);
        Overlay track = at0.stream().filter(Overlay::tracked).findFirst().orElseThrow();
        assertThat(track.x()).isEqualTo(200);
        assertThat(track.width()).isEqualTo(200);
        Overlay raw = at0.stream().filter(o -> !o.tracked()).findFirst().orElseThrow();
        assertThat(raw.colour()).isEqualTo(BboxAnnotations.RAW_GREY);
        assertThat(raw.x()).isEqualTo(20);
        assertThat(raw.height()).isEqualTo(80);
        assertThat(a.captionAt(100)).containsExactly("DEBUG result 0 @ 0 ms", "detection 1  tracks 1");
        Annotations normal = BboxAnnotations.of(tracks(640), List.of(result("detection", 0, 0, 10, 20, 30, 60)), 1280,
                720, false);
        assertThat(normal.overlaysAt(0, 20)).allMatch(Overlay::tracked);
    }
}
