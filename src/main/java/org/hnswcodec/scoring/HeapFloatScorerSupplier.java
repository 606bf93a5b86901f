package org.hnswcodec.scoring;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * Scores float vectors held on the heap, as a flush buffers them, against one another while a
 * graph is built: the neighbours an insertion's beam scores at once are compared with {@link
 * FloatKernels}, eight (or four) at a time. Scores are Lucene's: the raw similarity goes through
 * the same normalisation as {@link VectorSimilarityFunction#compare(float[], float[])}, and single
 * comparisons are Lucene's own; batched ones may differ from them in the last bits, from a
 * different summation order. For cosine, each vector's norm is computed once (one float per
 * vector), so that a batched cosine is a dot product.
 *
 * <p>The vectors are shared, not copied: {@link #copy()} is cheap and its scorers may run on other
 * threads, each with its own buffers.
 */
public final class HeapFloatScorerSupplier implements RandomVectorScorerSupplier {

  private final float[][] vectors;
  private final FloatVectorValues values;
  private final VectorSimilarityFunction similarity;

  /**
   * For cosine, each vector's squared norm, computed once: a cosine is then a dot product, half
   * the work of computing both norms at every comparison as Lucene's cosine does. Null otherwise.
   */
  private final float[] squaredNorms;

  private HeapFloatScorerSupplier(
      float[][] vectors, FloatVectorValues values, VectorSimilarityFunction similarity) {
    this.vectors = vectors;
    this.values = values;
    this.similarity = similarity;
    if (similarity == VectorSimilarityFunction.COSINE) {
      squaredNorms = new float[vectors.length];
      for (int i = 0; i < vectors.length; i++) {
        squaredNorms[i] = VectorUtil.dotProduct(vectors[i], vectors[i]);
      }
    } else {
      squaredNorms = null;
    }
  }

  /**
   * A supplier over {@code vectors} (ordinal {@code i} is {@code vectors.get(i)}): this class when
   * the JVM has the Vector API and the dimension suits the kernels, else Lucene's.
   *
   * @param lucene the flat format's scorer, used when the kernels cannot be
   */
  public static RandomVectorScorerSupplier create(
      List<float[]> vectors,
      int dimension,
      VectorSimilarityFunction similarity,
      FlatVectorsScorer lucene)
      throws IOException {
    FloatVectorValues values = FloatVectorValues.fromFloats(vectors, dimension);
    if (SimdSupport.ENABLED && dimension % FloatKernels.lanes() == 0) {
      return new HeapFloatScorerSupplier(vectors.toArray(new float[0][]), values, similarity);
    }
    return lucene.getRandomVectorScorerSupplier(similarity, values);
  }

  @Override
  public UpdateableRandomVectorScorer scorer() {
    return new Scorer();
  }

  @Override
  public RandomVectorScorerSupplier copy() {
    return this;
  }

  @Override
  public String toString() {
    return "HeapFloatScorerSupplier(similarity="
        + similarity
        + ", size="
        + vectors.length
        + ", lanes="
        + FloatKernels.lanes()
        + ")";
  }

  private final class Scorer extends BatchScorer {
    private final float[][] batch = new float[8][];
    private final float[] raw = new float[8];
    private float[] query;
    private double querySquaredNorm;

    Scorer() {
      super(values);
    }

    @Override
    public void setScoringOrdinal(int node) {
      query = vectors[node];
      if (squaredNorms != null) {
        querySquaredNorm = squaredNorms[node];
      }
    }

    @Override
    public float score(int node) {
      return similarity.compare(query, vectors[node]);
    }

    @Override
    void compare(boolean eight) {
      for (int v = 0; v < (eight ? 8 : 4); v++) {
        batch[v] = vectors[batchNodes[v]];
      }
      if (similarity == VectorSimilarityFunction.EUCLIDEAN) {
        if (eight) {
          FloatKernels.squareDistances8(query, batch, raw);
        } else {
          FloatKernels.squareDistances4(query, batch, raw);
        }
      } else if (eight) {
        FloatKernels.dotProducts8(query, batch, raw);
      } else {
        FloatKernels.dotProducts4(query, batch, raw);
      }
    }

    @Override
    float batchScore(int v) {
      return switch (similarity) {
        case EUCLIDEAN -> VectorUtil.normalizeDistanceToUnitInterval(raw[v]);
        case DOT_PRODUCT -> VectorUtil.normalizeToUnitInterval(raw[v]);
        case MAXIMUM_INNER_PRODUCT -> VectorUtil.scaleMaxInnerProductScore(raw[v]);
        case COSINE ->
            VectorUtil.normalizeToUnitInterval(
                (float) (raw[v] / Math.sqrt(querySquaredNorm * squaredNorms[batchNodes[v]])));
      };
    }
  }
}
