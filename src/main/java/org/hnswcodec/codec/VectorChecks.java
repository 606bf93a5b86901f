package org.hnswcodec.codec;

import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * Rejects vectors that would corrupt a graph or make its scores meaningless, with a message that
 * names the field. Lucene's own vector fields check most of this already; these checks also cover
 * values that reach the writer by other paths (custom fields, {@code addIndexes}) and query
 * vectors.
 */
final class VectorChecks {

  private VectorChecks() {}

  static void checkIndexed(FieldInfo field, float[] vector) {
    checkDimension(field, vector.length, "vector");
    float largest = largestMagnitude(vector);
    int nonFinite = nonFinite(vector, largest);
    if (nonFinite >= 0) {
      throw new IllegalArgumentException(
          "field \"" + field.name + "\": vector component " + nonFinite + " is "
              + vector[nonFinite] + "; only finite values can be indexed");
    }
    boolean cosine = field.getVectorSimilarityFunction() == VectorSimilarityFunction.COSINE;
    if (cosine && largest == 0) {
      throw zeroCosine(field);
    }
    checkSquaredLength(field, "vector", vector, largest, cosine);
  }

  static void checkIndexed(FieldInfo field, byte[] vector) {
    checkDimension(field, vector.length, "vector");
    if (field.getVectorSimilarityFunction() == VectorSimilarityFunction.COSINE && isZero(vector)) {
      throw zeroCosine(field);
    }
  }

  static void checkQuery(FieldInfo field, float[] target) {
    checkDimension(field, target.length, "query vector");
    float largest = largestMagnitude(target);
    int nonFinite = nonFinite(target, largest);
    if (nonFinite >= 0) {
      throw new IllegalArgumentException(
          "field \"" + field.name + "\": query vector component " + nonFinite + " is "
              + target[nonFinite]);
    }
    boolean cosine = field.getVectorSimilarityFunction() == VectorSimilarityFunction.COSINE;
    if (cosine && largest == 0) {
      throw zeroCosineQuery(field);
    }
    checkSquaredLength(field, "query vector", target, largest, cosine);
  }

  static void checkQuery(FieldInfo field, byte[] target) {
    checkDimension(field, target.length, "query vector");
    if (field.getVectorSimilarityFunction() == VectorSimilarityFunction.COSINE && isZero(target)) {
      throw zeroCosineQuery(field);
    }
  }

  private static void checkDimension(FieldInfo field, int dimension, String what) {
    if (dimension != field.getVectorDimension()) {
      throw new IllegalArgumentException(
          "field \"" + field.name + "\": " + what + " has " + dimension
              + " dimensions, but the field has " + field.getVectorDimension());
    }
  }

  /**
   * Rejects a vector whose squared length leaves the float range Lucene's similarities compute in.
   * Beyond the largest float its inner products and cosines overflow to infinity, or to NaN where
   * infinities of both signs meet (Lucene asserts against both); its Euclidean distances to
   * vectors of ordinary length overflow too (scores of 0, which rank nothing), though not to
   * vectors as long and as near: rejecting it under every similarity is a choice, so that one
   * rule holds for all. Under COSINE a vector whose squared length rounds to zero is divided by
   * zero. The squared length is at most the dimension times the largest magnitude squared, so it
   * is summed only near the top of the range.
   */
  private static void checkSquaredLength(
      FieldInfo field, String what, float[] vector, float largest, boolean cosine) {
    if ((double) largest * largest * vector.length > Float.MAX_VALUE) {
      double squaredLength = 0;
      for (float v : vector) {
        squaredLength += (double) v * v;
      }
      if (squaredLength > Float.MAX_VALUE) {
        throw new IllegalArgumentException(
            "field \"" + field.name + "\": the " + what + "'s squared length, " + squaredLength
                + ", exceeds the largest float; its similarities cannot be computed");
      }
    }
    if (cosine && largest * largest == 0) {
      throw new IllegalArgumentException(
          "field \"" + field.name + "\": the " + what + "'s squared length rounds to zero in"
              + " float (largest component " + largest + "); it has no cosine similarity");
    }
  }

  /** The largest absolute value of the components: NaN or infinite if any component is. */
  static float largestMagnitude(float[] vector) {
    float largest = 0;
    for (float v : vector) {
      largest = Math.max(largest, Math.abs(v));
    }
    return largest;
  }

  /**
   * The first component that is NaN or infinite, or -1, given the {@link #largestMagnitude}. Every
   * search checks its query, so the usual case, all finite, is one pass that the JIT vectorises:
   * the largest magnitude, which is NaN or infinite exactly when a component is (about a third of
   * the time of testing each component, 50 against 150 ns at 384 dimensions). Only then is the bad
   * one looked for.
   */
  static int nonFinite(float[] vector, float largest) {
    if (largest <= Float.MAX_VALUE) {
      return -1;
    }
    for (int i = 0; i < vector.length; i++) {
      if (Float.isFinite(vector[i]) == false) {
        return i;
      }
    }
    throw new AssertionError("a largest magnitude of " + largest + " without a non-finite component");
  }

  private static IllegalArgumentException zeroCosine(FieldInfo field) {
    return new IllegalArgumentException(
        "field \"" + field.name + "\": a zero vector cannot be indexed with COSINE similarity");
  }

  // Lucene's cosine divides by the norms: NaN scores, or an assertion error with -ea
  private static IllegalArgumentException zeroCosineQuery(FieldInfo field) {
    return new IllegalArgumentException(
        "field \"" + field.name + "\": a zero query vector has no cosine similarity");
  }

  private static boolean isZero(byte[] vector) {
    for (byte v : vector) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }
}
