package io.argus.edge.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.schemas.avro.HookCall;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.TopicAdmin;
import io.argus.schemas.topics.Topics;
import io.argus.testkit.kafka.EmbeddedKafka;

/**
 * The dispatcher's Kafka loop on a real broker (the embedded KRaft broker) delivering to a real
 * local HTTP receiver: calls whose first attempts fail arrive once, signed, also across a restart
 * of the dispatcher while an earlier call on the same (single) partition still fails and holds back
 * the committed offset; a refused call goes to the dead-letter topic. Each test has its own topics.
 */
class HookDispatcherBrokerTest {

    static final String SECRET = "hook-broker-test-secret";

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static KafkaSettings settings;
    static HookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(dir, 0).start();
        settings = new KafkaSettings(kafka.bootstrapServers(), 1, (short) 1);
        receiver = new HookReceiver();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static Topics topics(String prefix) {
        Topics topics = new Topics(new InMemorySchemaRegistry(), prefix);
        TopicAdmin.ensure(settings.admin(), topics.all(), 1, (short) 1);
        return topics;
    }

    static HookDispatcher dispatcher(Topics topics) {
        HookSettings h = HookSettings.defaults().withSecret(SECRET)
                .withBackoff(Duration.ofMillis(100), 2, Duration.ofMillis(400), 0.5)
                .withAttempts(1000, Duration.ofSeconds(5));
        HookDispatcher d = new HookDispatcher(topics, settings, h);
        d.start();
        return d;
    }

    static void send(Topics topics, List<HookCall> calls) throws Exception {
        try (KafkaProducer<String, HookCall> producer = new KafkaProducer<>(settings.producer("t-hooks", null),
                topics.hooks().keySerde().serializer(), topics.hooks().valueSerde().serializer())) {
            for (HookCall c : calls) {
                producer.send(new ProducerRecord<>(topics.hooks().name(), c.getJobId(), c)).get();
            }
        }
    }

    static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void everyCallArrivesOnceSignedDespiteFailuresAndARestartOfTheDispatcher() throws Exception {
        Topics topics = topics("broker-once.");
        AtomicBoolean slowAccepts = new AtomicBoolean();
        AtomicInteger slowAccepted = new AtomicInteger();
        receiver.on("/once/slow", n -> {
            if (slowAccepts.get()) {
                slowAccepted.incrementAndGet();
                return HookReceiver.Answer.of(200);
            }
            return HookReceiver.Answer.of(503);
        });
        List<HookCall> calls = new ArrayList<>();
        calls.add(Calls.resultCall("held", receiver.url("/once/slow"), "FINISHED", null));
        List<String> flaky = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            flaky.add("/once/segment-" + i);
            calls.add(Calls.segmentCall("hooked", i, receiver.url(flaky.get(i))));
        }
        flaky.add("/once/result");
        calls.add(Calls.resultCall("hooked", receiver.url("/once/result"), "FINISHED", null));
        flaky.forEach(p -> receiver.failFirst(p, 2));
        send(topics, calls);

        HookDispatcher first = dispatcher(topics);
        try {
            await(() -> flaky.stream().allMatch(p -> receiver.on(p).size() >= 3), Duration.ofSeconds(30));
            await(() -> first.delivered() >= flaky.size(), Duration.ofSeconds(10));
            assertThat(first.delivered()).isEqualTo(flaky.size());
            assertThat(receiver.on("/once/slow")).as("the held call is being retried").isNotEmpty();
        } finally {
            first.close();
        }

        // A new dispatcher (a restarted edge) starts from the held call's offset and skips the done ones.
        HookDispatcher second = dispatcher(topics);
        try {
            slowAccepts.set(true);
            await(() -> slowAccepted.get() >= 1, Duration.ofSeconds(30));
            Thread.sleep(2000);
            assertThat(slowAccepted.get()).isEqualTo(1);
            assertThat(second.delivered()).isEqualTo(1);
            assertThat(second.skipped()).isEqualTo(flaky.size());
        } finally {
            second.close();
        }
        for (String p : flaky) {
            assertThat(receiver.on(p)).as("attempts on %s", p).hasSize(3);
        }
        for (int i = 0; i < calls.size(); i++) {
            HookCall call = calls.get(i);
            String path = i == 0 ? "/once/slow" : flaky.get(i - 1);
            for (HookReceiver.Received r : receiver.on(path)) {
                assertThat(r.header("Idempotency-Key")).isEqualTo(call.getIdempotencyKey());
                assertThat(HookSignature.verify(SECRET, r.header(HookSignature.HEADER), r.body(), 300))
                        .as("signature of %s", path).isTrue();
            }
        }
    }

    @Test
    void aRefusedCallGoesToTheDeadLetterTopic() throws Exception {
        Topics topics = topics("broker-dlq.");
        receiver.on("/dlq/refuse", n -> HookReceiver.Answer.of(400));
        send(topics, List.of(Calls.resultCall("refused", receiver.url("/dlq/refuse"), "FINISHED", null)));
        List<HookCall> dead = new ArrayList<>();
        try (HookDispatcher d = dispatcher(topics);
             KafkaConsumer<String, HookCall> consumer = new KafkaConsumer<>(settings.consumer("t-dlq", "t-dlq"),
                     topics.hooksDlq().keySerde().deserializer(), topics.hooksDlq().valueSerde().deserializer())) {
            consumer.subscribe(List.of(topics.hooksDlq().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (dead.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, HookCall> r : consumer.poll(Duration.ofMillis(200))) {
                    dead.add(r.value());
                }
            }
            await(() -> d.deadLettered() >= 1, Duration.ofSeconds(10)); // counted by the poll loop after the write
            assertThat(d.deadLettered()).isEqualTo(1);
        }
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getJobId()).isEqualTo("refused");
        assertThat(dead.get(0).getIdempotencyKey()).isEqualTo("refused:result");
        assertThat(dead.get(0).getAttempts()).isEqualTo(1);
        assertThat(dead.get(0).getLastError()).contains("400");
        assertThat(receiver.on("/dlq/refuse")).hasSize(1);
    }
}
