package io.argus.schemas.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void masksUserInfo() {
        assertThat(Redaction.uri("http://user:password@host:8080/v.mp4")).isEqualTo("http://***@host:8080/v.mp4");
        assertThat(Redaction.uri("rtsp://admin:p%40ss@192.0.2.7/live")).isEqualTo("rtsp://***@192.0.2.7/live");
        assertThat(Redaction.uri("rtmp://token@host/app/key")).isEqualTo("rtmp://***@host/app/key");
        // a password holding '@' unescaped: everything up to the last '@' of the authority
        assertThat(Redaction.uri("https://u:a@b@host/x")).isEqualTo("https://***@host/x");
    }

    @Test
    void masksSecretQueryValues() {
        assertThat(Redaction.uri("https://h/v.mp4?token=abc&ch=1&X-Amz-Signature=f00&api_key=k#t=3"))
                .isEqualTo("https://h/v.mp4?token=***&ch=1&X-Amz-Signature=***&api_key=***#t=3");
        assertThat(Redaction.uri("http://h/hook?Password=x&sig=y&auth=z&secret=w&n=2"))
                .isEqualTo("http://h/hook?Password=***&sig=***&auth=***&secret=***&n=2");
    }

    @Test
    void leavesOtherTextAlone() {
        assertThat(Redaction.uri("/videos/a@b.mp4")).isEqualTo("/videos/a@b.mp4");
        assertThat(Redaction.uri("http://host/path/a@b.mp4")).isEqualTo("http://host/path/a@b.mp4");
        assertThat(Redaction.uri("http://host/v.mp4?ch=1&flag")).isEqualTo("http://host/v.mp4?ch=1&flag");
        assertThat(Redaction.uri("not a uri at all")).isEqualTo("not a uri at all");
        assertThat(Redaction.uri(null)).isNull();
    }

    @Test
    void logsAtMostTheLimit() {
        String longUri = "http://u:p@host/" + "a".repeat(900_000);
        String logged = Redaction.forLog(longUri);
        assertThat(logged).startsWith("http://***@host/aaa").endsWith("…(" + longUri.length() + " chars)");
        assertThat(logged.length()).isLessThan(Redaction.MAX_LOGGED + 20);
        assertThat(Redaction.forLog("file:///v.mp4")).isEqualTo("file:///v.mp4");
        assertThat(Redaction.forLog((Object) null)).isEqualTo("null");
    }
}
