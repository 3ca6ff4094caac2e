package io.argus.analyzer.models.tfjs;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * A small immutable n-dimensional constant (row-major, float32 or integer) used to fold constant
 * sub-graphs while converting: shape arithmetic (Shape → StridedSlice → Pack), anchor tiling, and
 * element-wise maths on weights. Integers are held as {@code long}; TensorFlow int32 values fit.
 * Broadcasting follows NumPy/TensorFlow rules (shapes aligned on the right, size-1 dims stretch).
 *
 * @param shape dimensions (empty for a scalar)
 * @param f float data, or null for an integer tensor
 * @param l integer data, or null for a float tensor
 */
public record Nd(int[] shape, float[] f, long[] l) {

    /** @return a float tensor (the array is used as is) */
    public static Nd floats(float[] data, int... shape) {
        check(data.length, shape);
        return new Nd(shape.clone(), data, null);
    }

    /** @return an integer tensor */
    public static Nd longs(long[] data, int... shape) {
        check(data.length, shape);
        return new Nd(shape.clone(), null, data);
    }

    /** @return a 1-D integer tensor of the values */
    public static Nd vector(long... values) {
        return longs(values.clone(), values.length);
    }

    private static void check(int n, int[] shape) {
        if (size(shape) != n) {
            throw new IllegalArgumentException(n + " values for shape " + Arrays.toString(shape));
        }
    }

    /** @return the number of elements of a shape */
    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** @return true for float data */
    public boolean isFloat() {
        return f != null;
    }

    /** @return number of elements */
    public int size() {
        return isFloat() ? f.length : l.length;
    }

    /** @return the rank */
    public int rank() {
        return shape.length;
    }

    /** @return element i as a double */
    public double get(int i) {
        return isFloat() ? f[i] : l[i];
    }

    /** @return the values as floats (a copy for integer tensors, the array itself otherwise) */
    public float[] asFloats() {
        if (isFloat()) {
            return f;
        }
        float[] r = new float[l.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = l[i];
        }
        return r;
    }

    /** @return the values as longs (floats truncated) */
    public long[] asLongs() {
        if (!isFloat()) {
            return l;
        }
        long[] r = new long[f.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (long) f[i];
        }
        return r;
    }

    /** @return the values as ints */
    public int[] asInts() {
        long[] v = asLongs();
        int[] r = new int[v.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.toIntExact(v[i]);
        }
        return r;
    }

    /** @return the same data with another shape of the same size */
    public Nd reshape(int... newShape) {
        check(size(), newShape);
        return new Nd(newShape.clone(), f, l);
    }

    /** @return this tensor converted to float or integer */
    public Nd cast(boolean toFloat) {
        if (toFloat == isFloat()) {
            return this;
        }
        return toFloat ? new Nd(shape, asFloats(), null) : new Nd(shape, null, asLongs());
    }

    /** @return row-major strides of a shape */
    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Builds a tensor of a shape whose element at each index comes from {@code src[pick(index)]}. */
    private Nd gather(int[] outShape, IndexMap pick) {
        int n = size(outShape);
        int[] idx = new int[outShape.length];
        float[] nf = isFloat() ? new float[n] : null;
        long[] nl = isFloat() ? null : new long[n];
        for (int o = 0; o < n; o++) {
            int src = pick.source(idx);
            if (nf != null) {
                nf[o] = f[src];
            } else {
                nl[o] = l[src];
            }
            for (int d = outShape.length - 1; d >= 0; d--) {
                if (++idx[d] < outShape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new Nd(outShape, nf, nl);
    }

    private interface IndexMap {
        int source(int[] outIndex);
    }

    /** @return the axes permuted: output dim i is input dim perm[i] */
    public Nd transpose(int... perm) {
        if (perm.length != rank()) {
            throw new IllegalArgumentException("perm " + Arrays.toString(perm) + " for rank " + rank());
        }
        int[] st = strides(shape);
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = shape[perm[i]];
        }
        return gather(out, idx -> {
            int s = 0;
            for (int i = 0; i < perm.length; i++) {
                s += idx[i] * st[perm[i]];
            }
            return s;
        });
    }

    /** @return the tensor repeated {@code multiples[d]} times along each dim d (TF Tile) */
    public Nd tile(int... multiples) {
        int[] st = strides(shape);
        int[] out = new int[rank()];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape[i] * multiples[i];
        }
        return gather(out, idx -> {
            int s = 0;
            for (int i = 0; i < idx.length; i++) {
                s += (idx[i] % shape[i]) * st[i];
            }
            return s;
        });
    }

    /**
     * @param begin start per dim
     * @param stride step per dim (non-zero)
     * @param outShape number of elements taken per dim
     * @return the strided sub-tensor
     */
    public Nd slice(int[] begin, int[] stride, int[] outShape) {
        int[] st = strides(shape);
        return gather(outShape.clone(), idx -> {
            int s = 0;
            for (int i = 0; i < idx.length; i++) {
                s += (begin[i] + idx[i] * stride[i]) * st[i];
            }
            return s;
        });
    }

    /** @return the tensors joined along an existing axis (TF ConcatV2) */
    public static Nd concat(List<Nd> parts, int axis) {
        Nd first = parts.get(0);
        boolean fl = parts.stream().anyMatch(Nd::isFloat);
        int[] out = first.shape.clone();
        out[axis] = 0;
        for (Nd p : parts) {
            out[axis] += p.shape[axis];
        }
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= out[i];
        }
        int n = size(out);
        float[] nf = fl ? new float[n] : null;
        long[] nl = fl ? null : new long[n];
        int o = 0;
        for (int r = 0; r < outer; r++) {
            for (Nd p : parts) {
                Nd q = p.cast(fl);
                int chunk = q.size() / outer;
                if (fl) {
                    System.arraycopy(q.f, r * chunk, nf, o, chunk);
                } else {
                    System.arraycopy(q.l, r * chunk, nl, o, chunk);
                }
                o += chunk;
            }
        }
        return new Nd(out, nf, nl);
    }

    /** @return the tensors stacked along a new axis (TF Pack) */
    public static Nd stack(List<Nd> parts, int axis) {
        int[] s = parts.get(0).shape;
        int[] expanded = insert(s, axis, 1);
        return concat(parts.stream().map(p -> p.reshape(expanded)).toList(), axis);
    }

    /** @return the k-th slice along an axis, with that axis removed (TF Unpack output k) */
    public Nd unstack(int axis, int k) {
        int[] begin = new int[rank()];
        int[] stride = new int[rank()];
        Arrays.fill(stride, 1);
        begin[axis] = k;
        int[] out = shape.clone();
        out[axis] = 1;
        return slice(begin, stride, out).reshape(remove(shape, axis));
    }

    /** @return a shape with {@code value} inserted at {@code axis} */
    static int[] insert(int[] s, int axis, int value) {
        int[] r = new int[s.length + 1];
        for (int i = 0, j = 0; i < r.length; i++) {
            r[i] = i == axis ? value : s[j++];
        }
        return r;
    }

    /** @return a shape without the dim at {@code axis} */
    static int[] remove(int[] s, int axis) {
        int[] r = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != axis) {
                r[j++] = s[i];
            }
        }
        return r;
    }

    /**
     * @return the broadcast shape of two shapes (NumPy rules)
     * @throws IllegalArgumentException when they do not broadcast
     */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /** @return this tensor broadcast to a larger shape */
    public Nd expandTo(int[] target) {
        if (Arrays.equals(shape, target)) {
            return this;
        }
        int off = target.length - rank();
        int[] st = strides(shape);
        return gather(target, idx -> {
            int s = 0;
            for (int i = 0; i < shape.length; i++) {
                s += (shape[i] == 1 ? 0 : idx[i + off]) * st[i];
            }
            return s;
        });
    }

    /**
     * Element-wise binary operation with broadcasting; the result is float when either input is.
     *
     * @return the result
     */
    public static Nd binary(Nd a, Nd b, DoubleBinaryOperator fop, LongBinaryOperator lop) {
        int[] out = broadcast(a.shape, b.shape);
        Nd x = a.expandTo(out);
        Nd y = b.expandTo(out);
        int n = size(out);
        if (a.isFloat() || b.isFloat()) {
            float[] r = new float[n];
            for (int i = 0; i < n; i++) {
                r[i] = (float) fop.applyAsDouble(x.get(i), y.get(i));
            }
            return new Nd(out, r, null);
        }
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = lop.applyAsLong(x.l[i], y.l[i]);
        }
        return new Nd(out, null, r);
    }

    /** @return the float function applied to every element */
    public Nd map(DoubleUnaryOperator op) {
        float[] r = new float[size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) op.applyAsDouble(get(i));
        }
        return new Nd(shape, r, null);
    }

    @Override
    public String toString() {
        String v = size() <= 8 ? (isFloat() ? Arrays.toString(f) : Arrays.toString(l)) : size() + " values";
        return (isFloat() ? "float" : "int") + Arrays.toString(shape) + " " + v;
    }
}
