package io.argus.schemas.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceSchemesTest {

    @Test
    void schemesAreLowerCasedAndPathsHaveNone() {
        assertThat(SourceSchemes.scheme("RTSP://cam/1")).contains("rtsp");
        assertThat(SourceSchemes.scheme(" http://h/v.mp4 ")).contains("http");
        assertThat(SourceSchemes.scheme("/tmp/a:b.mp4")).isEmpty();
        assertThat(SourceSchemes.scheme("C:\\videos\\a.mp4")).isEmpty();
        assertThat(SourceSchemes.scheme("relative/x.avi")).isEmpty();
        assertThat(SourceSchemes.scheme(null)).isEmpty();
        assertThat(SourceSchemes.scheme("gopher://h/x")).contains("gopher");
    }

    @Test
    void liveMeansRtmpRtmpsOrRtsp() {
        assertThat(SourceSchemes.isLive("rtmp://h/live/a")).isTrue();
        assertThat(SourceSchemes.isLive("RTMPS://h/live/a")).isTrue();
        assertThat(SourceSchemes.isLive("rtsp://h/cam")).isTrue();
        assertThat(SourceSchemes.isLive("https://h/rtsp.mp4")).isFalse();
        assertThat(SourceSchemes.isLive("/data/rtmp:x")).isFalse();
        assertThat(SourceSchemes.isLive(null)).isFalse();
    }
}
