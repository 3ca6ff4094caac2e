package io.argus.edge.faces;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

import io.argus.schemas.avro.FaceEvent;

/**
 * The face search index: a Lucene 9 index on disk, one document per face of a face trace
 * ({@code argus.faces} key {@code <job_id>/<trace_id>/<seq>}), a view of the topic like a state
 * store: the consumed offsets are kept in each commit's user data, so a restart goes on from them
 * and an index lost (or new) is rebuilt from the topic's beginning ({@link FaceFeed}).
 *
 * <p>Vectors: one {@link KnnFloatVectorField} per embedding model ({@link #vectorField}, e.g.
 * {@code vec.faceres}; vectors of different models are not comparable), L2-normalised on the way
 * in and compared by dot product (= cosine). The field's format is Lucene's scalar-quantised HNSW
 * ({@link Lucene99HnswScalarQuantizedVectorsFormat}: Malkov and Yashunin, "Efficient and robust
 * approximate nearest neighbor search using Hierarchical Navigable Small World graphs", 2018, with
 * per-segment scalar quantisation of the vectors), which keeps the raw float vectors beside the
 * quantised ones. The default is int4 ({@link Quantization#INT4}): see "Face search" in
 * BENCHMARKS.md for int8 against int4 (hot bytes per face and recall after re-scoring).
 *
 * <p>Search ({@link #search}): {@code max(5k, 100)} candidates from the graph (scored on the
 * quantised vectors), then each candidate's exact cosine from its raw float vector, ranked by it.
 * Thread-safe: one writer, searchers from a {@link SearcherManager}; writes become searchable on
 * {@link #refresh} or {@link #commit}.
 */
public final class FaceIndex implements AutoCloseable {

    /** Prefix of the vector fields, followed by the model's name in lower case. */
    public static final String VECTOR_PREFIX = "vec.";
    /** Graph candidates per search: {@code max(k * OVERSAMPLE, MIN_CANDIDATES)}. */
    public static final int OVERSAMPLE = 5;
    /** Least graph candidates per search. */
    public static final int MIN_CANDIDATES = 100;
    /** Most results a search returns. */
    public static final int MAX_K = 1000;
    /** HNSW graph: neighbours per node (2x on the bottom layer), Lucene's default. */
    static final int MAX_CONN = 16;
    /** HNSW graph: candidates kept while inserting, Lucene's default. */
    static final int BEAM_WIDTH = 100;

    private static final String OFFSET = "offset.";
    private static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /** How the vectors the graph searches are quantised (the raw floats are kept in any case). */
    public enum Quantization {
        /** 7-bit integers per dimension (Lucene's "int8"): {@code d + 4} bytes per vector. */
        INT8(7, false),
        /** 4-bit integers, two per byte: {@code d / 2 + 4} bytes per vector; dynamic confidence interval. */
        INT4(4, true);

        final int bits;
        final boolean compress;

        Quantization(int bits, boolean compress) {
            this.bits = bits;
            this.compress = compress;
        }

        KnnVectorsFormat format() {
            // int4 needs the dynamic confidence interval (0) to keep its few levels where the values are
            return new Lucene99HnswScalarQuantizedVectorsFormat(MAX_CONN, BEAM_WIDTH, 1, bits, compress,
                    bits == 4 ? 0f : null, null);
        }
    }

    /**
     * One face as indexed.
     *
     * @param key      the record's key, {@code <job_id>/<trace_id>/<seq>}
     * @param jobId    the job
     * @param videoId  the video
     * @param traceId  the face trace, unique within the job
     * @param seq      0-based sequence number of the analysed frame
     * @param offsetMs frame offset from the source start, ms
     * @param box      the face box {@code [left, top, right, bottom]}, pixels of the frame
     * @param score    detection confidence, [0, 1]
     * @param blur     sharpness of the crop (variance of the Laplacian), null when unknown
     * @param width    frame width, pixels
     * @param height   frame height, pixels
     * @param frameUri frame-store URI of the frame's JPEG, null when none
     * @param model    the embedding model
     */
    public record Face(String key, String jobId, String videoId, long traceId, long seq, long offsetMs, int[] box,
            float score, Float blur, int width, int height, String frameUri, String model) {
    }

    /**
     * A face found.
     *
     * @param face   the face
     * @param cosine exact cosine similarity of its embedding with the query, [-1, 1]
     */
    public record Match(Face face, double cosine) {
    }

    private final Directory dir;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<String, Integer> dimensions = new ConcurrentHashMap<>();

    /**
     * Opens (or creates) the index with int4 vectors.
     *
     * @param path the index directory (created when missing)
     * @throws IOException when it cannot be opened
     */
    public FaceIndex(Path path) throws IOException {
        this(path, Quantization.INT4);
    }

    /**
     * @param path         the index directory (created when missing)
     * @param quantization how segments written from now on quantise the vectors (older segments
     *                     keep theirs until merged)
     * @throws IOException when it cannot be opened
     */
    public FaceIndex(Path path, Quantization quantization) throws IOException {
        KnnVectorsFormat vectors = quantization.format();
        Codec codec = new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return field.startsWith(VECTOR_PREFIX) ? vectors : super.getKnnVectorsFormatForField(field);
            }
        };
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setNoCFSRatio(0.0); // vector files stay separate: the OS maps the quantised ones and the graph
        this.dir = FSDirectory.open(path);
        this.writer = new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND).setCodec(codec)
                .setUseCompoundFile(false).setMergePolicy(merges).setRAMBufferSizeMB(64));
        this.searchers = new SearcherManager(writer, null);
        IndexSearcher s = searchers.acquire();
        try {
            for (FieldInfo f : FieldInfos.getMergedFieldInfos(s.getIndexReader())) {
                if (f.name.startsWith(VECTOR_PREFIX) && f.getVectorDimension() > 0) {
                    dimensions.put(f.name, f.getVectorDimension());
                }
            }
        } finally {
            searchers.release(s);
        }
    }

    /**
     * @param model an embedding model's name (e.g. {@code faceres}; letters, digits, {@code _ . -})
     * @return the name of its vector field, {@code vec.<model in lower case>}
     * @throws IllegalArgumentException when the name is not a model name
     */
    public static String vectorField(String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        if (!MODEL.matcher(m).matches()) {
            throw new IllegalArgumentException("not an embedding model name: '" + model + "'");
        }
        return VECTOR_PREFIX + m;
    }

    /**
     * The filter that keeps the faces of the given jobs, for {@link #search} (file-level access:
     * the caller passes the jobs the principal may read).
     *
     * @param jobIds job ids; empty keeps nothing
     * @return a query on the job id
     */
    public static Query jobsFilter(Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return new MatchNoDocsQuery("no jobs allowed");
        }
        return new TermInSetQuery("job_id", jobIds.stream().map(BytesRef::new).toList());
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
     * Indexes a face, replacing the one of the same key.
     *
     * @param key   the record's key, {@code <job_id>/<trace_id>/<seq>}
     * @param event the face
     * @throws IllegalArgumentException when the model name is not one, or the embedding is empty,
     *                                  not finite, zero, longer than 1024 (Lucene's limit) or of
     *                                  another dimension than the model's vectors already indexed
     * @throws IOException              when the index cannot be written
     */
    public void put(String key, FaceEvent event) throws IOException {
        String field = vectorField(event.getModel());
        List<Float> e = event.getEmbedding();
        float[] v = new float[e.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = e.get(i);
        }
        v = unit(v, "face " + key);
        int max = KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS;
        if (v.length > max) {
            throw new IllegalArgumentException("face " + key + ": embedding of " + v.length
                    + " dimensions, the index takes at most " + max);
        }
        Integer known = dimensions.putIfAbsent(field, v.length);
        if (known != null && known != v.length) {
            throw new IllegalArgumentException("face " + key + ": embedding of model " + event.getModel() + " has "
                    + v.length + " dimensions, the index holds " + known + "-dimensional vectors for that model");
        }
        Document d = new Document();
        d.add(new StringField("key", key, Field.Store.YES));
        d.add(new StringField("job_id", event.getJobId(), Field.Store.YES));
        d.add(new StringField("trace", event.getJobId() + "/" + event.getTraceId(), Field.Store.NO));
        d.add(new StoredField("video_id", event.getVideoId()));
        d.add(new StoredField("trace_id", event.getTraceId()));
        d.add(new StoredField("seq", event.getSeq()));
        d.add(new StoredField("offset_ms", event.getOffsetMs()));
        d.add(new StoredField("box.l", event.getBox().getLeft()));
        d.add(new StoredField("box.t", event.getBox().getTop()));
        d.add(new StoredField("box.r", event.getBox().getRight()));
        d.add(new StoredField("box.b", event.getBox().getBottom()));
        d.add(new StoredField("score", event.getScore()));
        if (event.getBlur() != null) {
            d.add(new StoredField("blur", event.getBlur()));
        }
        d.add(new StoredField("width", event.getWidth()));
        d.add(new StoredField("height", event.getHeight()));
        if (event.getFrameUri() != null) {
            d.add(new StoredField("frame_uri", event.getFrameUri()));
        }
        d.add(new StoredField("model", event.getModel()));
        d.add(new KnnFloatVectorField(field, v, VectorSimilarityFunction.DOT_PRODUCT));
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
     * Removes a job's faces from this instance's index. The topic stays the source of truth: a
     * rebuild brings them back unless the job's tombstones were written to {@code argus.faces}.
     *
     * @param jobId the job
     * @throws IOException when the index cannot be written
     */
    public void deleteJob(String jobId) throws IOException {
        writer.deleteDocuments(new Term("job_id", jobId));
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

    /**
     * Makes the writes so far visible to searches (not durable: see {@link #commit}).
     *
     * @throws IOException when the new searcher cannot be opened
     */
    public void refresh() throws IOException {
        searchers.maybeRefresh();
    }

    /** @return faces indexed (as of the last refresh) */
    public int count() throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            return s.getIndexReader().numDocs();
        } finally {
            searchers.release(s);
        }
    }

    /**
     * The faces most similar to a query embedding.
     *
     * @param model     the embedding model of the query (only its faces are compared)
     * @param query     the query embedding, of the model's dimension (normalised here)
     * @param k         most matches returned, 1 to {@value #MAX_K}
     * @param minCosine matches below this exact cosine similarity are dropped, [-1, 1]
     * @param filter    restricts the faces searched (e.g. {@link #jobsFilter}), or null for all
     * @return up to {@code k} matches by exact cosine, most similar first; empty when no face of
     *         the model is indexed
     * @throws IllegalArgumentException when k is out of range, the model name is not one, the
     *                                  query is not finite or zero, or its dimension is not the
     *                                  model's
     * @throws IOException              when the index cannot be read
     */
    public List<Match> search(String model, float[] query, int k, double minCosine, Query filter) throws IOException {
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k must be 1 to " + MAX_K + ", not " + k);
        }
        String field = vectorField(model);
        float[] q = unit(query.clone(), "query");
        Integer dim = dimensions.get(field);
        if (dim == null) {
            return List.of();
        }
        if (dim != q.length) {
            throw new IllegalArgumentException("query embedding has " + q.length + " dimensions, model " + model
                    + " has " + dim);
        }
        IndexSearcher s = searchers.acquire();
        try {
            int candidates = Math.max(k * OVERSAMPLE, MIN_CANDIDATES);
            ScoreDoc[] hits = s.search(new KnnFloatVectorQuery(field, q, candidates, filter), candidates).scoreDocs;
            List<ScoreDoc> byDoc = new ArrayList<>(List.of(hits));
            byDoc.sort(Comparator.comparingInt(h -> h.doc));
            List<LeafReaderContext> leaves = s.getIndexReader().leaves();
            List<ScoreDoc> exact = new ArrayList<>();
            FloatVectorValues values = null;
            int leafIndex = -1;
            for (ScoreDoc h : byDoc) {
                int li = ReaderUtil.subIndex(h.doc, leaves);
                LeafReaderContext leaf = leaves.get(li);
                if (li != leafIndex) {
                    leafIndex = li;
                    values = leaf.reader().getFloatVectorValues(field);
                }
                int local = h.doc - leaf.docBase;
                int at = values == null ? -1 : values.docID() < local ? values.advance(local) : values.docID();
                if (at == local) {
                    double cos = VectorUtil.dotProduct(q, values.vectorValue());
                    if (cos >= minCosine) {
                        exact.add(new ScoreDoc(h.doc, (float) cos));
                    }
                }
            }
            // ties (equal float cosines) by doc id, so results are stable
            exact.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
            List<Match> out = new ArrayList<>();
            for (ScoreDoc h : exact.subList(0, Math.min(k, exact.size()))) {
                out.add(new Match(face(s.storedFields().document(h.doc)), h.score));
            }
            return out;
        } finally {
            searchers.release(s);
        }
    }

    /**
     * @param key a face's key, {@code <job_id>/<trace_id>/<seq>}
     * @return its embedding as indexed (L2-normalised), unless the face is unknown
     * @throws IOException when the index cannot be read
     */
    public Optional<float[]> embedding(String key) throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            ScoreDoc[] hits = s.search(new TermQuery(new Term("key", key)), 1).scoreDocs;
            if (hits.length == 0) {
                return Optional.empty();
            }
            List<LeafReaderContext> leaves = s.getIndexReader().leaves();
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hits[0].doc, leaves));
            String field = vectorField(s.storedFields().document(hits[0].doc).get("model"));
            FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
            int local = hits[0].doc - leaf.docBase;
            return values != null && values.advance(local) == local ? Optional.of(values.vectorValue().clone())
                    : Optional.empty();
        } finally {
            searchers.release(s);
        }
    }

    /**
     * @param jobId   the job
     * @param traceId the face trace
     * @return the trace's faces, by seq
     * @throws IOException when the index cannot be read
     */
    public List<Face> trace(String jobId, long traceId) throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            TermQuery q = new TermQuery(new Term("trace", jobId + "/" + traceId));
            List<Face> out = new ArrayList<>();
            for (ScoreDoc h : s.search(q, Math.max(1, s.count(q))).scoreDocs) {
                out.add(face(s.storedFields().document(h.doc)));
            }
            out.sort(Comparator.comparingLong(Face::seq));
            return out;
        } finally {
            searchers.release(s);
        }
    }

    private static Face face(Document d) {
        Number blur = d.getField("blur") == null ? null : d.getField("blur").numericValue();
        return new Face(d.get("key"), d.get("job_id"), d.get("video_id"), num(d, "trace_id").longValue(),
                num(d, "seq").longValue(), num(d, "offset_ms").longValue(),
                new int[] {num(d, "box.l").intValue(), num(d, "box.t").intValue(), num(d, "box.r").intValue(),
                        num(d, "box.b").intValue()},
                num(d, "score").floatValue(), blur == null ? null : blur.floatValue(), num(d, "width").intValue(),
                num(d, "height").intValue(), d.get("frame_uri"), d.get("model"));
    }

    private static Number num(Document d, String name) {
        return d.getField(name).numericValue();
    }

    /** @return v scaled to unit length, in place */
    private static float[] unit(float[] v, String what) {
        if (v.length == 0) {
            throw new IllegalArgumentException(what + ": empty embedding");
        }
        double norm = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(what + ": embedding with a non-finite value");
            }
            norm += (double) x * x;
        }
        if (norm == 0) {
            throw new IllegalArgumentException(what + ": zero embedding");
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** Closes the searchers and the writer (uncommitted writes are lost; the feed reads them again). */
    @Override
    public void close() throws IOException {
        searchers.close();
        writer.rollback();
        dir.close();
    }
}
