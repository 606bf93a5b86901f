package org.hnswcodec.scoring;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * {@link HeapFloatScorerSupplier} for byte vectors: a flush's byte vectors scored against one
 * another with {@link ByteKernels}, four at a time, while its graph is built. The sums
 * are exact integers and go through Lucene's formulas, so scores equal those of {@link
 * VectorSimilarityFunction#compare(byte[], byte[])}. For cosine, each vector's squared norm is
 * computed once (one int per vector).
 */
public final class HeapByteScorerSupplier implements RandomVectorScorerSupplier {

  private final byte[][] vectors;
  private final ByteVectorValues values;
  private final VectorSimilarityFunction similarity;

  /** For cosine, each vector's squared norm; null otherwise. */
  private final int[] squaredNorms;

  private HeapByteScorerSupplier(
      byte[][] vectors, ByteVectorValues values, VectorSimilarityFunction similarity) {
    this.vectors = vectors;
    this.values = values;
    this.similarity = similarity;
    if (similarity == VectorSimilarityFunction.COSINE) {
      squaredNorms = new int[vectors.length];
      for (int i = 0; i < vectors.length; i++) {
        squaredNorms[i] = VectorUtil.dotProduct(vectors[i], vectors[i]);
      }
    } else {
      squaredNorms = null;
    }
  }

  /**
   * A supplier over byte vectors on the heap (ordinal {@code i} is {@code vectors.get(i)}): this
   * class when the JVM has the Vector API, the CPU 256-bit integer vectors and the dimension is a
   * multiple of {@value ByteKernels#STEP}, else Lucene's.
   *
   * @param lucene the flat format's scorer, used when the kernels cannot be
   */
  public static RandomVectorScorerSupplier create(
      List<byte[]> vectors,
      int dimension,
      VectorSimilarityFunction similarity,
      FlatVectorsScorer lucene)
      throws IOException {
    ByteVectorValues values = ByteVectorValues.fromBytes(vectors, dimension);
    if (SimdSupport.ENABLED && ByteKernels.usable() && dimension % ByteKernels.STEP == 0) {
      return new HeapByteScorerSupplier(vectors.toArray(new byte[0][]), values, similarity);
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
    return "HeapByteScorerSupplier(similarity=" + similarity + ", size=" + vectors.length + ")";
  }

  private final class Scorer extends BatchScorer {
    private final byte[][] batch = new byte[8][];
    private final int[] raw = new int[8];
    private byte[] query;
    private int querySquaredNorm;

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
      for (int from = 0; from < (eight ? 8 : 4); from += 4) {
        if (similarity == VectorSimilarityFunction.EUCLIDEAN) {
          ByteKernels.squareDistances4(query, batch, from, raw);
        } else {
          ByteKernels.dotProducts4(query, batch, from, raw);
        }
      }
    }

    /** Lucene's formulas of {@link VectorSimilarityFunction#compare(byte[], byte[])}. */
    @Override
    float batchScore(int v) {
      return switch (similarity) {
        case EUCLIDEAN -> 1 / (1f + raw[v]);
        case DOT_PRODUCT -> 0.5f + raw[v] / (float) (query.length * (1 << 15));
        case MAXIMUM_INNER_PRODUCT -> VectorUtil.scaleMaxInnerProductScore(raw[v]);
        case COSINE -> {
          double norms = (double) querySquaredNorm * (double) squaredNorms[batchNodes[v]];
          yield (1 + (float) (raw[v] / Math.sqrt(norms))) / 2;
        }
      };
    }
  }
}
