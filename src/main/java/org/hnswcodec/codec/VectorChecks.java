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
    int nonFinite = nonFinite(vector);
    if (nonFinite >= 0) {
      throw new IllegalArgumentException(
          "field \"" + field.name + "\": vector component " + nonFinite + " is "
              + vector[nonFinite] + "; only finite values can be indexed");
    }
    if (field.getVectorSimilarityFunction() == VectorSimilarityFunction.COSINE && isZero(vector)) {
      throw zeroCosine(field);
    }
  }

  static void checkIndexed(FieldInfo field, byte[] vector) {
    checkDimension(field, vector.length, "vector");
    if (field.getVectorSimilarityFunction() == VectorSimilarityFunction.COSINE && isZero(vector)) {
      throw zeroCosine(field);
    }
  }

  static void checkQuery(FieldInfo field, float[] target) {
    checkDimension(field, target.length, "query vector");
    int nonFinite = nonFinite(target);
    if (nonFinite >= 0) {
      throw new IllegalArgumentException(
          "field \"" + field.name + "\": query vector component " + nonFinite + " is "
              + target[nonFinite]);
    }
    if (field.getVectorSimilarityFunction() == VectorSimilarityFunction.COSINE && isZero(target)) {
      // Lucene's cosine divides by the norms: NaN scores, or an assertion error with -ea
      throw new IllegalArgumentException(
          "field \"" + field.name + "\": a zero query vector has no cosine similarity");
    }
  }

  static void checkQuery(FieldInfo field, byte[] target) {
    checkDimension(field, target.length, "query vector");
  }

  private static void checkDimension(FieldInfo field, int dimension, String what) {
    if (dimension != field.getVectorDimension()) {
      throw new IllegalArgumentException(
          "field \"" + field.name + "\": " + what + " has " + dimension
              + " dimensions, but the field has " + field.getVectorDimension());
    }
  }

  /**
   * The first component that is NaN or infinite, or -1. Every search checks its query, so the
   * usual case, all finite, is one pass that the JIT vectorises: the largest magnitude, which is
   * NaN or infinite exactly when a component is (about a third of the time of testing each
   * component, 50 against 150 ns at 384 dimensions). Only then is the bad one looked for.
   */
  static int nonFinite(float[] vector) {
    float largest = 0;
    for (float v : vector) {
      largest = Math.max(largest, Math.abs(v));
    }
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

  private static boolean isZero(float[] vector) {
    for (float v : vector) {
      if (v != 0) {
        return false;
      }
    }
    return true;
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
