package org.hnswcodec.codec;

import java.io.IOException;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.VectorUtil;

/**
 * Whether a COSINE field's vectors are all of unit length, in which case cosine is a dot product
 * and is scored as one ({@link HnswCodecVectorsFormat#UNIT_NORM_TOLERANCE}). Only float32 COSINE
 * fields are checked: other similarities score what they score, and a byte vector has unit length
 * only with a single component of ±1, too rare to look for.
 */
final class UnitLengthVectors {

  private UnitLengthVectors() {}

  /**
   * Whether {@code field} is float32 COSINE and {@code vectors}, at least one, all have unit
   * length.
   */
  static boolean all(FieldInfo field, FloatVectorValues vectors) throws IOException {
    if (isCosineFloat(field) == false || vectors.size() == 0) {
      return false;
    }
    for (int ord = 0; ord < vectors.size(); ord++) {
      if (isUnit(vectors.vectorValue(ord)) == false) {
        return false;
      }
    }
    return true;
  }

  static boolean isUnit(float[] vector) {
    float squaredNorm = VectorUtil.dotProduct(vector, vector);
    return Math.abs(squaredNorm - 1f) <= HnswCodecVectorsFormat.UNIT_NORM_TOLERANCE;
  }

  private static boolean isCosineFloat(FieldInfo field) {
    return field.getVectorEncoding() == VectorEncoding.FLOAT32
        && field.getVectorSimilarityFunction() == VectorSimilarityFunction.COSINE;
  }
}
