package io.argus.testkit.faces;

import java.util.SplittableRandom;

/**
 * Synthetic L2-normalised face embeddings clustered like real ones: face {@code i} belongs to
 * person {@code i / perPerson} and is
 * {@code normalise(a·g + b·c_person + s·n_i)} with {@code g} one random unit vector shared by all
 * faces (embeddings of a model share a mean direction), {@code c_person} a random unit centre per
 * person and {@code n_i} a standard Gaussian vector. With {@code a² = 0.36}, {@code b² = 0.47} and
 * {@code s² d = 0.17} two faces of one person have cosine ≈ 0.83 and of two people ≈ 0.36, the
 * means FaceRes gives on real aligned faces (BENCHMARKS.md "Face embeddings": same 0.827, different
 * 0.358). Deterministic: the same seed, index and dimension give the same vector.
 */
public final class SyntheticFaces {

    /** Weight of the shared direction. */
    public static final double SHARED = 0.6;
    /** Weight of the person's centre. */
    public static final double PERSON = Math.sqrt(0.47);
    /** Squared norm of the noise (spread over the dimensions). */
    public static final double NOISE = 0.17;

    private final int dimension;
    private final int perPerson;
    private final long seed;
    private final double sigma;
    private final float[] shared;

    /**
     * @param dimension vector dimension (1024 for FaceRes)
     * @param perPerson faces per person, at least 1
     * @param seed      random seed
     */
    public SyntheticFaces(int dimension, int perPerson, long seed) {
        if (dimension < 1 || perPerson < 1) {
            throw new IllegalArgumentException("dimension and faces per person must be positive");
        }
        this.dimension = dimension;
        this.perPerson = perPerson;
        this.seed = seed;
        this.sigma = Math.sqrt(NOISE / dimension);
        this.shared = unitGaussian(new SplittableRandom(seed * 31 + 7));
    }

    /** @return the noise's standard deviation per dimension, {@code sqrt(0.17 / d)} */
    public double sigma() {
        return sigma;
    }

    /** @return faces per person */
    public int perPerson() {
        return perPerson;
    }

    /**
     * @param i the face's index, from 0
     * @return its embedding, unit length
     */
    public float[] face(long i) {
        return face(i / perPerson, new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1))));
    }

    /**
     * A face of a person not among the indexed ones (a fresh draw of noise), e.g. a query.
     *
     * @param person the person, {@code face(i)} belongs to {@code i / perPerson}
     * @param draw   which draw, any number (different draws give different faces)
     * @return the embedding, unit length
     */
    public float[] newFace(long person, long draw) {
        return face(person, new SplittableRandom(~seed ^ (0xC2B2AE3D27D4EB4FL * (draw + 1)) ^ (person << 20)));
    }

    private float[] face(long person, SplittableRandom noise) {
        float[] c = unitGaussian(new SplittableRandom(seed + 0x632BE59BD9B4E019L * (person + 1)));
        double[] v = new double[dimension];
        double norm = 0;
        for (int k = 0; k < dimension; k++) {
            v[k] = SHARED * shared[k] + PERSON * c[k] + sigma * noise.nextGaussian();
            norm += v[k] * v[k];
        }
        float[] out = new float[dimension];
        double inv = 1 / Math.sqrt(norm);
        for (int k = 0; k < dimension; k++) {
            out[k] = (float) (v[k] * inv);
        }
        return out;
    }

    private float[] unitGaussian(SplittableRandom r) {
        double[] v = new double[dimension];
        double norm = 0;
        for (int k = 0; k < dimension; k++) {
            v[k] = r.nextGaussian();
            norm += v[k] * v[k];
        }
        float[] out = new float[dimension];
        double inv = 1 / Math.sqrt(norm);
        for (int k = 0; k < dimension; k++) {
            out[k] = (float) (v[k] * inv);
        }
        return out;
    }
}
