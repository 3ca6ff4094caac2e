package io.argus.edge.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.argus.edge.hooks.HookDeliverer.Outcome;
import io.argus.edge.hooks.HookDeliverer.Ticket;
import io.argus.schemas.avro.HookCall;

class HookDelivererTest {

    private static final String SECRET = "whsec_deliver";
    private static final TopicPartition P0 = new TopicPartition("argus.hooks", 0);
    private static final TopicPartition P1 = new TopicPartition("argus.hooks", 1);

    record Report(Ticket ticket, Outcome outcome, int attempts, String lastError) {
    }

    /** Records dead letters; fails the first {@code failures} writes. */
    static final class Dlq implements DeadLetterSink {
        final List<HookCall> written = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public CompletableFuture<Void> send(HookCall failed) {
            if (failures.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new IOException("dlq down"));
            }
            written.add(failed);
            return CompletableFuture.completedFuture(null);
        }
    }

    private HookReceiver receiver;
    private final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
    private final Dlq dlq = new Dlq();
    private final List<HookDeliverer> deliverers = new ArrayList<>();
    private long offsets;

    @BeforeEach
    void start() throws IOException {
        receiver = new HookReceiver();
    }

    @AfterEach
    void stop() {
        deliverers.forEach(HookDeliverer::close);
        receiver.close();
    }

    /** Fast settings: 30 ms x2 up to 300 ms, no jitter, 4 attempts of 2 s. */
    private static HookSettings fast() {
        return HookSettings.defaults().withSecret(SECRET)
                .withBackoff(Duration.ofMillis(30), 2.0, Duration.ofMillis(300), 0.0)
                .withAttempts(4, Duration.ofSeconds(2));
    }

    private HookDeliverer deliverer(HookSettings settings) {
        HookDeliverer d = new HookDeliverer(settings, new HookClient(settings), dlq,
                (t, o, n, e) -> reports.add(new Report(t, o, n, e)));
        deliverers.add(d);
        return d;
    }

    private Ticket ticket(HookCall call) {
        return new Ticket(P0, offsets++, 1, call);
    }

    private Report next() throws InterruptedException {
        Report r = reports.poll(20, TimeUnit.SECONDS);
        assertThat(r).as("a report within 20 s").isNotNull();
        return r;
    }

    @Test
    void retriesAfter500sThenDeliversSignedWithTheSameKeyAndBody() throws Exception {
        receiver.failFirst("/flaky", 2);
        HookCall call = Calls.segmentCall("job-1", 4, receiver.url("/flaky"));
        deliverer(fast()).submit(ticket(call));

        Report r = next();
        assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(r.lastError()).isEqualTo("HTTP 500");
        assertThat(r.ticket().call()).isEqualTo(call);

        List<HookReceiver.Received> got = receiver.on("/flaky");
        assertThat(got).hasSize(3);
        byte[] expected = HookBodies.bytes(call);
        for (int i = 0; i < 3; i++) {
            HookReceiver.Received g = got.get(i);
            assertThat(g.header("X-Argus-Attempt")).isEqualTo(Integer.toString(i + 1));
            assertThat(g.header("Idempotency-Key")).isEqualTo("job-1:segment:pulp:4");
            assertThat(g.header("X-Argus-Hook")).isEqualTo("segment");
            assertThat(g.header("Content-Type")).isEqualTo("application/json");
            assertThat(g.body()).isEqualTo(expected);
            String sig = g.header("X-Argus-Signature");
            assertThat(sig).matches("t=\\d+,v1=[0-9a-f]{64}");
            assertThat(HookSignature.verify(SECRET, sig, g.body(), 60)).isTrue();
            assertThat(HookSignature.verify("wrong", sig, g.body(), 60)).isFalse();
        }
        // backoff between attempts: >= 30 ms then >= 60 ms (no jitter)
        assertThat(TimeUnit.NANOSECONDS.toMillis(got.get(1).atNanos() - got.get(0).atNanos())).isGreaterThanOrEqualTo(30);
        assertThat(TimeUnit.NANOSECONDS.toMillis(got.get(2).atNanos() - got.get(1).atNanos())).isGreaterThanOrEqualTo(60);
        assertThat(dlq.written).isEmpty();
    }

    @Test
    void headersNameEachKindAndNoSignatureWithoutASecret() throws Exception {
        HookDeliverer d = deliverer(fast().withSecret(null));
        d.submit(ticket(Calls.opResultCall("j", receiver.url("/op"), false)));
        d.submit(ticket(Calls.resultCall("j", receiver.url("/all"), "FINISHED", null)));
        next();
        next();
        assertThat(receiver.on("/op")).singleElement().satisfies(g -> {
            assertThat(g.header("X-Argus-Hook")).isEqualTo("op-result");
            assertThat(g.header("Idempotency-Key")).isEqualTo("j:op-result:pulp");
            assertThat(g.header("X-Argus-Signature")).isNull();
        });
        assertThat(receiver.on("/all")).singleElement().satisfies(g -> {
            assertThat(g.header("X-Argus-Hook")).isEqualTo("result");
            assertThat(g.header("X-Argus-Attempt")).isEqualTo("1");
        });
    }

    @Test
    void aClientErrorGivesUpAtOnceToTheDeadLetters() throws Exception {
        receiver.on("/gone", n -> HookReceiver.Answer.of(404));
        deliverer(fast()).submit(ticket(Calls.opResultCall("job-2", receiver.url("/gone"), false)));

        Report r = next();
        assertThat(r.outcome()).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(receiver.on("/gone")).hasSize(1);
        assertThat(dlq.written).singleElement().satisfies(c -> {
            assertThat(c.getAttempts()).isEqualTo(1);
            assertThat(c.getLastError()).isEqualTo("HTTP 404");
            assertThat(c.getIdempotencyKey()).isEqualTo("job-2:op-result:pulp");
            assertThat(c.getUrl()).isEqualTo(receiver.url("/gone"));
        });
    }

    @Test
    void retryableFailuresGiveUpAfterMaxAttempts() throws Exception {
        receiver.on("/down", n -> HookReceiver.Answer.of(n % 2 == 0 ? 503 : 429));
        deliverer(fast().withAttempts(3, Duration.ofSeconds(2))).submit(ticket(Calls.segmentCall("j", 0, receiver.url("/down"))));
        Report r = next();
        assertThat(r.outcome()).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(receiver.on("/down")).extracting(g -> g.header("X-Argus-Attempt")).containsExactly("1", "2", "3");
        assertThat(dlq.written).singleElement().satisfies(c -> {
            assertThat(c.getAttempts()).isEqualTo(3);
            assertThat(c.getLastError()).isEqualTo("HTTP 429");
        });
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() throws Exception {
        receiver.on("/busy", n -> n == 1 ? new HookReceiver.Answer(429, Map.of("Retry-After", "1"), 0)
                : HookReceiver.Answer.of(204));
        HookSettings s = fast().withBackoff(Duration.ofMillis(10), 2.0, Duration.ofSeconds(2), 0.0);
        deliverer(s).submit(ticket(Calls.segmentCall("j", 0, receiver.url("/busy"))));
        assertThat(next().outcome()).isEqualTo(Outcome.DELIVERED);
        List<HookReceiver.Received> got = receiver.on("/busy");
        assertThat(TimeUnit.NANOSECONDS.toMillis(got.get(1).atNanos() - got.get(0).atNanos())).isGreaterThanOrEqualTo(950);
    }

    @Test
    void timeoutsAndRefusedConnectionsAreRetried() throws Exception {
        receiver.on("/slow", n -> new HookReceiver.Answer(200, Map.of(), n == 1 ? 1500 : 0));
        HookSettings s = fast().withAttempts(4, Duration.ofMillis(300));
        HookDeliverer d = deliverer(s);
        d.submit(ticket(Calls.segmentCall("slow", 0, receiver.url("/slow"))));
        Report slow = next();
        assertThat(slow.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(slow.attempts()).isEqualTo(2);
        assertThat(slow.lastError()).contains("timeout");

        int closedPort;
        try (ServerSocket ss = new ServerSocket(0)) {
            closedPort = ss.getLocalPort();
        }
        HookSettings two = fast().withAttempts(2, Duration.ofSeconds(2));
        deliverer(two).submit(ticket(Calls.segmentCall("refused", 0, "http://127.0.0.1:" + closedPort + "/h")));
        Report refused = next();
        assertThat(refused.outcome()).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(refused.attempts()).isEqualTo(2);
        assertThat(dlq.written).singleElement().satisfies(c -> assertThat(c.getLastError()).contains("Connect"));
    }

    @Test
    void redirectsKeepingTheMethodAreFollowedSeeOtherIsNot() throws Exception {
        receiver.on("/moved", n -> new HookReceiver.Answer(302, Map.of("Location", receiver.url("/target")), 0));
        receiver.on("/see", n -> new HookReceiver.Answer(303, Map.of("Location", receiver.url("/other")), 0));
        deliverer(fast()).submit(ticket(Calls.segmentCall("j", 0, receiver.url("/moved"))));
        Report r = next();
        assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(receiver.on("/target")).singleElement()
                .satisfies(t -> assertThat(t.body()).isEqualTo(receiver.on("/moved").get(0).body()));

        deliverer(fast()).submit(ticket(Calls.segmentCall("k", 0, receiver.url("/see"))));
        Report see = next();
        assertThat(see.outcome()).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(see.attempts()).isEqualTo(1);
        assertThat(receiver.on("/other")).isEmpty();
        assertThat(dlq.written.get(0).getLastError()).isEqualTo("HTTP 303");
    }

    @Test
    void malformedCallsAndBadUrlsGoStraightToTheDeadLetters() throws Exception {
        HookDeliverer d = deliverer(fast());
        d.submit(ticket(HookCall.newBuilder(Calls.segmentCall("a", 0, receiver.url("/x"))).setSegment(null).build()));
        d.submit(ticket(Calls.segmentCall("b", 0, "ftp://example.com/h")));
        List<Report> rs = List.of(next(), next());
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.DEAD_LETTERED);
            assertThat(r.attempts()).isEqualTo(1);
        });
        assertThat(dlq.written).extracting(HookCall::getLastError)
                .anySatisfy(e -> assertThat(e).startsWith("malformed call"))
                .anySatisfy(e -> assertThat(e).startsWith("bad URL"));
        assertThat(receiver.received).isEmpty();
    }

    @Test
    void callsOfAJobGoInOrderWhileOtherJobsGoOn() throws Exception {
        receiver.failFirst("/a1", 2); // job A's first call needs 3 attempts (30 + 60 ms of backoff)
        HookDeliverer d = deliverer(fast());
        HookCall a1 = Calls.segmentCall("A", 0, receiver.url("/a1"));
        HookCall a2 = Calls.segmentCall("A", 1, receiver.url("/a2"));
        HookCall b1 = Calls.segmentCall("B", 0, receiver.url("/b1"));
        d.submit(ticket(a1));
        d.submit(ticket(a2));
        d.submit(ticket(b1));

        List<HookCall> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Report r = next();
            assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED);
            order.add(r.ticket().call());
        }
        assertThat(order).containsSubsequence(a1, a2);
        assertThat(order.get(0)).isEqualTo(b1); // not held up by A's backoff
        long a1Done = receiver.on("/a1").get(2).atNanos();
        assertThat(receiver.on("/a2")).singleElement().satisfies(g -> assertThat(g.atNanos()).isGreaterThan(a1Done));
        assertThat(d.pending()).isZero();
    }

    @Test
    void aFailedDeadLetterWriteIsRetried() throws Exception {
        receiver.on("/bad", n -> HookReceiver.Answer.of(400));
        dlq.failures.set(2);
        deliverer(fast()).submit(ticket(Calls.segmentCall("j", 0, receiver.url("/bad"))));
        Report r = next();
        assertThat(r.outcome()).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(dlq.written).hasSize(1);
        assertThat(receiver.on("/bad")).hasSize(1);
        assertThat(reports.poll(200, TimeUnit.MILLISECONDS)).isNull(); // reported once
    }

    @Test
    void closeAbandonsPendingRetriesWithoutReportingThem() throws Exception {
        receiver.on("/down", n -> HookReceiver.Answer.of(500));
        receiver.on("/slow-ok", n -> new HookReceiver.Answer(200, Map.of(), 400));
        HookSettings s = fast().withBackoff(Duration.ofSeconds(10), 2.0, Duration.ofSeconds(10), 0.0);
        HookDeliverer d = deliverer(s);
        d.submit(ticket(Calls.segmentCall("down", 0, receiver.url("/down"))));
        d.submit(ticket(Calls.segmentCall("down", 1, receiver.url("/down")))); // queued behind
        waitFor(() -> receiver.on("/down").size() == 1);
        d.submit(ticket(Calls.segmentCall("slow", 0, receiver.url("/slow-ok"))));
        waitFor(() -> receiver.on("/slow-ok").size() == 1); // in flight when closing

        long t0 = System.nanoTime();
        d.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        // the running attempt finished and is reported; the pending retry and the queued call are not
        Report r = next();
        assertThat(r.ticket().call().getJobId()).isEqualTo("slow");
        assertThat(reports.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(receiver.on("/down")).hasSize(1);
        assertThat(dlq.written).isEmpty();
        assertThat(d.submit(ticket(Calls.segmentCall("late", 0, receiver.url("/x"))))).isFalse();
    }

    @Test
    void revokeDropsTheCallsOfRevokedPartitionsOnly() throws Exception {
        receiver.on("/down", n -> HookReceiver.Answer.of(500));
        HookSettings s = fast().withBackoff(Duration.ofSeconds(10), 2.0, Duration.ofSeconds(10), 0.0);
        HookDeliverer d = deliverer(s);
        d.submit(new Ticket(P0, 0, 1, Calls.segmentCall("p0", 0, receiver.url("/down"))));
        d.submit(new Ticket(P0, 1, 1, Calls.segmentCall("p0", 1, receiver.url("/down"))));
        waitFor(() -> receiver.on("/down").size() == 1);
        assertThat(d.pending()).isEqualTo(2);

        assertThat(d.revoke(t -> t.partition().equals(P0), Duration.ofSeconds(1))).isTrue();
        assertThat(d.pending()).isZero();

        d.submit(new Ticket(P1, 0, 1, Calls.segmentCall("p1", 0, receiver.url("/ok"))));
        Report r = next();
        assertThat(r.ticket().partition()).isEqualTo(P1);
        assertThat(reports.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(receiver.on("/down")).hasSize(1);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
