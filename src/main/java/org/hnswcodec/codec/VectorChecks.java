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
    for (int i = 0; i < vector.length; i++) {
      if (Float.isFinite(vector[i]) == false) {
        throw new IllegalArgumentException(
            "field \"" + field.name + "\": vector component " + i + " is " + vector[i]
                + "; only finite values can be indexed");
      }
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
    for (int i = 0; i < target.length; i++) {
      if (Float.isFinite(target[i]) == false) {
        throw new IllegalArgumentException(
            "field \"" + field.name + "\": query vector component " + i + " is " + target[i]);
      }
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
