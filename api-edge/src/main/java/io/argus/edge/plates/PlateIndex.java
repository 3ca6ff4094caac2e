package io.argus.edge.plates;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.PlateEvent;

/**
 * The plate search index: a Lucene 9 index on disk, one document per vehicle track's plate
 * ({@code argus.plates} key {@code <job>/<track>}), a view of the topic like a state store: the
 * consumed offsets are kept in each commit's user data, so a restart goes on from them and an
 * index lost (or new) is rebuilt from the topic's beginning ({@link PlateFeed}).
 *
 * <p>Search ({@link #search}): the query's normal form, exact match first, then plates within
 * Lucene's Levenshtein automata (Schulz and Mihov, "Fast string correction with Levenshtein
 * automata", 2002; {@link FuzzyQuery}, transpositions counted as one edit) of 1 edit for 4–5
 * characters and 2 from 6; candidates are ranked by {@link PlateDistance} (confusable characters
 * cost half an edit), then by the plate's confidence. Thread-safe: one writer, searchers from a
 * {@link SearcherManager}.
 */
public final class PlateIndex implements AutoCloseable {

    /** Most candidates a fuzzy query expands to (plates within the edit distance). */
    static final int MAX_EXPANSIONS = 1000;
    /** Weighted distance above which a candidate is not a match. */
    public static final double MAX_DISTANCE = 2.0;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OFFSET = "offset.";

    private final Directory dir;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    /**
     * @param path the index directory (created when missing)
     * @throws IOException when it cannot be opened
     */
    public PlateIndex(Path path) throws IOException {
        this.dir = FSDirectory.open(path);
        this.writer = new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
        this.searchers = new SearcherManager(writer, null);
    }

    /**
     * A plate found.
     *
     * @param event    the plate's fields as JSON (see {@link #json})
     * @param distance weighted edit distance from the query, 0 for an exact match
     */
    public record Match(JsonNode event, double distance) {
    }

    /** @return partition → next offset to read, as of the last commit (empty for a new index) */
    public Map<Integer, Long> offsets() {
        Map<Integer, Long> out = new HashMap<>();
        Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
        if (data != null) {
            for (Map.Entry<String, String> e : data) {
                if (e.getKey().startsWith(OFFSET)) {
                    out.put(Integer.parseInt(e.getKey().substring(OFFSET.length())), Long.parseLong(e.getValue()));
                }
            }
        }
        return out;
    }

    /**
     * @param key   the record's key, {@code <job>/<track>}
     * @param event the plate
     * @throws IOException when the index cannot be written
     */
    public void put(String key, PlateEvent event) throws IOException {
        Document d = new Document();
        d.add(new StringField("key", key, Field.Store.YES));
        d.add(new StringField("text", event.getText(), Field.Store.NO));
        d.add(new StringField("job", event.getJobId(), Field.Store.NO));
        d.add(new StoredField("event", json(event).toString()));
        writer.updateDocument(new Term("key", key), d);
    }

    /**
     * @param key a tombstone's key
     * @throws IOException when the index cannot be written
     */
    public void delete(String key) throws IOException {
        writer.deleteDocuments(new Term("key", key));
    }

    /**
     * @param job a job id
     * @return the keys ({@code <job>/<track>}) of the job's plates indexed so far, including writes
     *         not yet committed
     * @throws IOException when the index cannot be read
     */
    public List<String> keysOfJob(String job) throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher s = searchers.acquire();
        try {
            List<String> out = new ArrayList<>();
            TermQuery q = new TermQuery(new Term("job", job));
            for (ScoreDoc hit : s.search(q, Math.max(1, s.getIndexReader().maxDoc())).scoreDocs) {
                out.add(s.storedFields().document(hit.doc).get("key"));
            }
            return out;
        } finally {
            searchers.release(s);
        }
    }

    /**
     * Removes plates now, visible to searches at once (not durable until the next {@link #commit};
     * their tombstones on the topic make it so).
     *
     * @param keys keys of plates, {@code <job>/<track>}
     * @throws IOException when the index cannot be written
     */
    public void forget(List<String> keys) throws IOException {
        writer.deleteDocuments(keys.stream().map(k -> new Term("key", k)).toArray(Term[]::new));
        searchers.maybeRefreshBlocking();
    }

    /**
     * Makes the writes so far durable with the offsets they reach, and visible to searches.
     *
     * @param next partition → next offset to read
     * @throws IOException when the commit fails
     */
    public void commit(Map<Integer, Long> next) throws IOException {
        Map<String, String> data = new HashMap<>();
        next.forEach((p, o) -> data.put(OFFSET + p, Long.toString(o)));
        writer.setLiveCommitData(data.entrySet());
        writer.commit();
        searchers.maybeRefresh();
    }

    /** @return plates indexed (as of the last refresh) */
    public int size() throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            return s.getIndexReader().numDocs();
        } finally {
            searchers.release(s);
        }
    }

    /**
     * @param key a plate's key, {@code <job>/<track>}
     * @return its fields (see {@link #json}), unless unknown
     * @throws IOException when the index cannot be read
     */
    public java.util.Optional<JsonNode> get(String key) throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            ScoreDoc[] hits = s.search(new TermQuery(new Term("key", key)), 1).scoreDocs;
            return hits.length == 0 ? java.util.Optional.empty()
                    : java.util.Optional.of(JSON.readTree(s.storedFields().document(hits[0].doc).get("event")));
        } finally {
            searchers.release(s);
        }
    }

    /**
     * @param plate a query in normal form ({@code PlateText}), 1 to 16 characters
     * @param limit most matches returned
     * @return matches, nearest first (exact ones first), then by confidence
     * @throws IOException when the index cannot be read
     */
    public List<Match> search(String plate, int limit) throws IOException {
        int edits = plate.length() >= 6 ? 2 : plate.length() >= 4 ? 1 : 0;
        Query q = edits == 0 ? new TermQuery(new Term("text", plate))
                : new BooleanQuery.Builder()
                        .add(new TermQuery(new Term("text", plate)), BooleanClause.Occur.SHOULD)
                        .add(new FuzzyQuery(new Term("text", plate), edits, 0, MAX_EXPANSIONS, true), BooleanClause.Occur.SHOULD)
                        .build();
        IndexSearcher s = searchers.acquire();
        try {
            List<Match> out = new ArrayList<>();
            for (ScoreDoc hit : s.search(q, Math.max(limit * 4, 100)).scoreDocs) {
                JsonNode e = JSON.readTree(s.storedFields().document(hit.doc).get("event"));
                double d = PlateDistance.of(plate, e.path("text").asText());
                if (d <= MAX_DISTANCE) {
                    out.add(new Match(e, d));
                }
            }
            out.sort((a, b) -> a.distance() != b.distance() ? Double.compare(a.distance(), b.distance())
                    : Double.compare(b.event().path("confidence").asDouble(), a.event().path("confidence").asDouble()));
            return out.size() > limit ? out.subList(0, limit) : out;
        } finally {
            searchers.release(s);
        }
    }

    /**
     * @param e a plate event
     * @return the fields a search answers with: text, job, video, track, label, confidence,
     *         score, time_ms (the best read's offset), first_seen_ms, last_seen_ms, frame_uri,
     *         vehicle_box and plate_box ({@code [left, top, right, bottom]} pixels), reads
     */
    static ObjectNode json(PlateEvent e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("text", e.getText());
        o.put("job", e.getJobId());
        o.put("video", e.getVideoId());
        o.put("track", e.getTrackId());
        o.put("label", e.getLabel());
        o.put("confidence", e.getConfidence());
        o.put("score", e.getScore());
        o.put("time_ms", e.getBestOffsetMs());
        o.put("first_seen_ms", e.getFirstSeenMs());
        o.put("last_seen_ms", e.getLastSeenMs());
        if (e.getFrameUri() != null) {
            o.put("frame_uri", e.getFrameUri());
        }
        box(o, "vehicle_box", e.getVehicleBox());
        box(o, "plate_box", e.getPlateBox());
        e.getReads().forEach(r -> o.withArray("reads").add(r));
        return o;
    }

    private static void box(ObjectNode o, String name, Box b) {
        o.putArray(name).add(b.getLeft()).add(b.getTop()).add(b.getRight()).add(b.getBottom());
    }

    /** Closes the searchers and the writer (uncommitted writes are lost; the feed reads them again). */
    @Override
    public void close() throws IOException {
        searchers.close();
        writer.rollback();
        dir.close();
    }
}
