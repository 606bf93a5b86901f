package org.hnswcodec.scoring;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The byte-vector counterpart of {@link FloatKernels}: one query against four byte vectors at
 * once, eight components per step, widened to shorts to subtract or multiply (a difference of two
 * bytes and a product of two signed bytes both fit) and to ints to accumulate. Sums are exact, so
 * the scores equal Lucene's. Four, not eight: with eight accumulators the JIT stopped inlining the
 * Vector API's conversions and boxed the vectors, and a flush ran 1.3x slower than with Lucene's
 * scorer.
 *
 * <p>Needs 256-bit integer vectors ({@link #usable()}) and a dimension that is a multiple of
 * {@link #STEP}; written out accumulator by accumulator like {@link FloatKernels}, for the same
 * reason.
 */
final class ByteKernels {

  /** Components per step. */
  static final int STEP = 8;

  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_64;
  private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_128;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;

  private ByteKernels() {}

  /** Whether the CPU has the 256-bit integer vectors these kernels accumulate in. */
  static boolean usable() {
    return IntVector.SPECIES_PREFERRED.vectorBitSize() >= INTS.vectorBitSize();
  }

  /**
   * Squared euclidean distances from {@code query} to {@code batch[from..from+4)}, into {@code
   * out[from..from+4)}.
   */
  static void squareDistances4(byte[] query, byte[][] batch, int from, int[] out) {
    byte[] v0 = batch[from], v1 = batch[from + 1], v2 = batch[from + 2], v3 = batch[from + 3];
    IntVector a0 = IntVector.zero(INTS), a1 = a0, a2 = a0, a3 = a0;
    for (int i = 0; i < query.length; i += STEP) {
      ShortVector q = widen(query, i);
      a0 = addSquare(a0, q.sub(widen(v0, i)));
      a1 = addSquare(a1, q.sub(widen(v1, i)));
      a2 = addSquare(a2, q.sub(widen(v2, i)));
      a3 = addSquare(a3, q.sub(widen(v3, i)));
    }
    out[from] = sum(a0);
    out[from + 1] = sum(a1);
    out[from + 2] = sum(a2);
    out[from + 3] = sum(a3);
  }

  /**
   * Dot products of {@code query} with {@code batch[from..from+4)}, into {@code out[from..from+4)}.
   */
  static void dotProducts4(byte[] query, byte[][] batch, int from, int[] out) {
    byte[] v0 = batch[from], v1 = batch[from + 1], v2 = batch[from + 2], v3 = batch[from + 3];
    IntVector a0 = IntVector.zero(INTS), a1 = a0, a2 = a0, a3 = a0;
    for (int i = 0; i < query.length; i += STEP) {
      ShortVector q = widen(query, i);
      a0 = a0.add(ints(q.mul(widen(v0, i))));
      a1 = a1.add(ints(q.mul(widen(v1, i))));
      a2 = a2.add(ints(q.mul(widen(v2, i))));
      a3 = a3.add(ints(q.mul(widen(v3, i))));
    }
    out[from] = sum(a0);
    out[from + 1] = sum(a1);
    out[from + 2] = sum(a2);
    out[from + 3] = sum(a3);
  }

  /** Eight bytes from {@code i}, as shorts. */
  private static ShortVector widen(byte[] vector, int i) {
    return (ShortVector)
        ByteVector.fromArray(BYTES, vector, i).convertShape(VectorOperators.B2S, SHORTS, 0);
  }

  private static IntVector ints(ShortVector v) {
    return (IntVector) v.convertShape(VectorOperators.S2I, INTS, 0);
  }

  private static IntVector addSquare(IntVector acc, ShortVector difference) {
    IntVector d = ints(difference);
    return d.mul(d).add(acc);
  }

  private static int sum(IntVector v) {
    return v.reduceLanes(VectorOperators.ADD);
  }
}
