package io.argus.edge.extract;

import static io.argus.edge.extract.IndexFixture.frame;
import static io.argus.edge.extract.IndexFixture.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionState;
import io.argus.schemas.avro.ExtractionStatus;

/**
 * A store restored at start-up holds raw bytes, so decoding happens (and can fail) while iterating;
 * the catalogue skips such entries. Modelled by a store whose null-valued entries fail to decode.
 */
class UndecodableEntriesTest {

    /** A sorted in-memory store; an entry stored as null "cannot be decoded" (after the iterator moved). */
    static final class PoisonedStore<V> implements ReadOnlyKeyValueStore<String, V> {
        final TreeMap<String, V> map = new TreeMap<>();
        /** Fail in hasNext(), like Kafka Streams' DelegatingPeekingKeyValueIterator, rather than in next(). */
        final boolean peeking;

        PoisonedStore(boolean peeking) {
            this.peeking = peeking;
        }

        @Override
        public V get(String key) {
            if (map.containsKey(key) && map.get(key) == null) {
                throw new SerializationException("not in the Confluent wire format");
            }
            return map.get(key);
        }

        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            return iterator(map.subMap(from, true, to, true));
        }

        @Override
        public KeyValueIterator<String, V> all() {
            return iterator(map);
        }

        @Override
        public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS serializer) {
            String p = (String) prefix;
            return iterator(map.subMap(p, true, p + Character.MAX_VALUE, false));
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }

        private KeyValueIterator<String, V> iterator(Map<String, V> m) {
            Iterator<Map.Entry<String, V>> it = new ArrayList<>(m.entrySet()).iterator();
            return new KeyValueIterator<>() {
                private Map.Entry<String, V> peeked;
                /** Non-peeking mode: an entry whose key {@link #peekNextKey} read, not yet returned. */
                private Map.Entry<String, V> pending;

                @Override
                public boolean hasNext() {
                    if (!peeking || peeked != null) {
                        return peeked != null || pending != null || it.hasNext();
                    }
                    if (!it.hasNext()) {
                        return false;
                    }
                    Map.Entry<String, V> e = it.next(); // moves on before decoding, as the real stores do
                    if (e.getValue() == null) {
                        throw new SerializationException("not in the Confluent wire format");
                    }
                    peeked = e;
                    return true;
                }

                @Override
                public KeyValue<String, V> next() {
                    if (peeked != null) {
                        Map.Entry<String, V> e = peeked;
                        peeked = null;
                        return KeyValue.pair(e.getKey(), e.getValue());
                    }
                    if (peeking && !hasNext()) {
                        throw new NoSuchElementException();
                    }
                    if (peeking) {
                        return next();
                    }
                    if (pending == null && !it.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Map.Entry<String, V> e = pending != null ? pending : it.next();
                    pending = null;
                    if (e.getValue() == null) {
                        throw new SerializationException("not in the Confluent wire format");
                    }
                    return KeyValue.pair(e.getKey(), e.getValue());
                }

                @Override
                public void close() {
                }

                /** Keys read without decoding the value, as RocksDB stores do. */
                @Override
                public String peekNextKey() {
                    if (peeking) {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        return peeked.getKey();
                    }
                    if (pending == null) {
                        if (!it.hasNext()) {
                            throw new NoSuchElementException();
                        }
                        pending = it.next();
                    }
                    return pending.getKey();
                }
            };
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void undecodableEntriesAreSkipped(boolean peeking) {
        PoisonedStore<ExtractedItem> items = new PoisonedStore<>(peeking);
        PoisonedStore<ExtractionStatus> statuses = new PoisonedStore<>(peeking);
        ExtractionStatus ok = status("r1", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 2, 10);
        statuses.map.put("r1", ok);
        statuses.map.put("bad", null);
        statuses.map.put("a-bad", null);
        items.map.put(ExtractionIds.itemKey(frame("r1", "uniform", "v1", 0)), frame("r1", "uniform", "v1", 0));
        items.map.put("frame/uniform/v1/r1/0000000001", null);
        items.map.put("frame/uniform/v1/r1/0000000001x", null);
        items.map.put(ExtractionIds.itemKey(frame("r1", "uniform", "v1", 2)), frame("r1", "uniform", "v1", 2));
        ExtractionCatalog catalog = new ExtractionCatalog(() -> items, () -> statuses);

        assertThat(catalog.items(ExtractionKind.FRAME, ExtractionPattern.UNIFORM, null, 10))
                .extracting(ExtractedItem::getSeq).containsExactly(0L, 2L);
        assertThat(catalog.stored(ok)).isEqualTo(2);
        // an undecodable entry's key is not known either: deletion tombstones the others
        assertThat(catalog.itemKeys(ok)).containsExactly("frame/uniform/v1/r1/0000000000",
                "frame/uniform/v1/r1/0000000002");
        assertThat(catalog.history(ExtractionKind.FRAME, null, 10)).extracting(s -> s.status().getRequestId())
                .containsExactly("r1");
        assertThat(catalog.status("bad")).isEmpty();
        assertThat(catalog.status("r1")).contains(ok);
    }
}
