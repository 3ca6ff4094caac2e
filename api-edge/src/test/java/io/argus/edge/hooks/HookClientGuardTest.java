package io.argus.edge.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.argus.edge.hooks.HookDeliverer.Outcome;
import io.argus.edge.hooks.HookDeliverer.Ticket;
import io.argus.edge.hooks.HookReceiver.Answer;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.net.UrlGuard;

/** Hook delivery with the URL guard and hand-followed redirects, against a real receiver on 127.0.0.1. */
class HookClientGuardTest {

    private static final HookSettings SETTINGS = HookSettings.defaults()
            .withBackoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100), 0.0)
            .withAttempts(3, Duration.ofSeconds(3));

    private HookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new HookReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private void redirect(String path, int status, String location) {
        receiver.on(path, n -> new Answer(status, Map.of("Location", location), 0));
    }

    private static AttemptResult attempt(UrlGuard guard, HookCall call) {
        return new HookClient(SETTINGS, guard).attempt(call, HookBodies.bytes(call), 1);
    }

    @Test
    void redirectsAreFollowedWithTheSamePostBodyAndHeaders() {
        redirect("/a", 307, "/b");
        redirect("/b", 308, receiver.url("/c"));
        redirect("/c", 301, "d");
        redirect("/d", 302, "/e");
        HookCall call = Calls.segmentCall("job-r", 0, receiver.url("/a"));
        AttemptResult r = attempt(UrlGuard.defaults(), call);
        assertThat(r.verdict()).isEqualTo(AttemptResult.Verdict.DELIVERED);
        assertThat(receiver.received).extracting(HookReceiver.Received::path)
                .containsExactly("/a", "/b", "/c", "/d", "/e");
        byte[] body = HookBodies.bytes(call);
        assertThat(receiver.received).allSatisfy(rec -> {
            assertThat(rec.body()).isEqualTo(body);
            assertThat(rec.header(HookClient.IDEMPOTENCY_HEADER)).isEqualTo(call.getIdempotencyKey());
        });
    }

    @Test
    void fiveRedirectsAreFollowedASixthGivesUp() {
        for (int i = 0; i < 6; i++) {
            redirect("/five" + i, 307, "/five" + (i + 1));
            redirect("/six" + i, 307, "/six" + (i + 1));
        }
        receiver.on("/five5", n -> Answer.of(204));
        assertThat(attempt(UrlGuard.defaults(), Calls.segmentCall("j5", 0, receiver.url("/five0"))).verdict())
                .isEqualTo(AttemptResult.Verdict.DELIVERED);
        AttemptResult six = attempt(UrlGuard.defaults(), Calls.segmentCall("j6", 0, receiver.url("/six0")));
        assertThat(six.verdict()).isEqualTo(AttemptResult.Verdict.GIVE_UP);
        assertThat(six.error()).contains("more than 5 redirects");
        assertThat(receiver.on("/six6")).isEmpty();
        assertThat(receiver.on("/six5")).hasSize(1);
    }

    @Test
    void aRedirectToARefusedAddressGivesUpWithoutContactingIt() {
        redirect("/meta", 302, "http://169.254.169.254/latest/meta-data/");
        redirect("/v6", 307, "http://[::1]:" + receiver.url("/").split(":")[2].replace("/", "") + "/never");
        UrlGuard only127 = UrlGuard.of("127.0.0.0/8");
        AttemptResult meta = attempt(only127, Calls.segmentCall("jm", 0, receiver.url("/meta")));
        assertThat(meta.verdict()).isEqualTo(AttemptResult.Verdict.GIVE_UP);
        assertThat(meta.error()).startsWith("redirect 1 refused: the address is not allowed").contains("link-local");
        AttemptResult v6 = attempt(only127, Calls.segmentCall("jv", 0, receiver.url("/v6")));
        assertThat(v6.verdict()).isEqualTo(AttemptResult.Verdict.GIVE_UP);
        assertThat(v6.error()).contains("loopback");
        assertThat(receiver.on("/never")).isEmpty();
    }

    @Test
    void aRefusedHookUrlIsNeverContacted() {
        AttemptResult r = attempt(UrlGuard.of(""), Calls.segmentCall("jr", 0, receiver.url("/x")));
        assertThat(r.verdict()).isEqualTo(AttemptResult.Verdict.GIVE_UP);
        assertThat(r.error()).startsWith("the address is not allowed: 127.0.0.1 is a special-purpose address");
        assertThat(receiver.received).isEmpty();
        // the default client checks nothing, as before
        assertThat(new HookClient(SETTINGS).attempt(Calls.segmentCall("jr", 0, receiver.url("/x")),
                HookBodies.bytes(Calls.segmentCall("jr", 0, receiver.url("/x"))), 1).verdict())
                .isEqualTo(AttemptResult.Verdict.DELIVERED);
    }

    @Test
    void seeOtherAndUnusableLocationsAreNotFollowed() {
        redirect("/303", 303, "/elsewhere");
        redirect("/ftp", 307, "ftp://127.0.0.1/x");
        receiver.on("/noloc", n -> Answer.of(308));
        AttemptResult see = attempt(UrlGuard.defaults(), Calls.segmentCall("j1", 0, receiver.url("/303")));
        assertThat(see.verdict()).isEqualTo(AttemptResult.Verdict.GIVE_UP);
        assertThat(see.httpStatus()).isEqualTo(303);
        AttemptResult ftp = attempt(UrlGuard.defaults(), Calls.segmentCall("j2", 0, receiver.url("/ftp")));
        assertThat(ftp.verdict()).isEqualTo(AttemptResult.Verdict.GIVE_UP);
        assertThat(ftp.error()).contains("without a usable http(s) Location");
        assertThat(attempt(UrlGuard.defaults(), Calls.segmentCall("j3", 0, receiver.url("/noloc"))).verdict())
                .isEqualTo(AttemptResult.Verdict.GIVE_UP);
        assertThat(receiver.on("/elsewhere")).isEmpty();
    }

    @Test
    void theDelivererDeadLettersARefusedRedirectAfterOneAttempt() throws Exception {
        redirect("/hop", 307, "http://10.1.2.3/internal");
        HookDelivererTest.Dlq dlq = new HookDelivererTest.Dlq();
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        try (HookDeliverer d = new HookDeliverer(SETTINGS, new HookClient(SETTINGS, UrlGuard.defaults()), dlq,
                (t, o, n, e) -> outcomes.add(o))) {
            d.submit(new Ticket(new TopicPartition("argus.hooks", 0), 0, 1,
                    Calls.segmentCall("jd", 0, receiver.url("/hop"))));
            assertThat(outcomes.poll(20, TimeUnit.SECONDS)).isEqualTo(Outcome.DEAD_LETTERED);
        }
        assertThat(dlq.written).hasSize(1);
        assertThat(dlq.written.get(0).getAttempts()).isEqualTo(1);
        assertThat(dlq.written.get(0).getLastError()).contains("not allowed").contains("private-use");
        assertThat(receiver.on("/hop")).hasSize(1);
    }
}
