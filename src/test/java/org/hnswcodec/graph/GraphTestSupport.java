package org.hnswcodec.graph;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/** Scorers over in-memory vectors, for tests of the graph algorithm without an index. */
final class GraphTestSupport {

  private GraphTestSupport() {}

  static RandomVectorScorerSupplier scorers(float[][] vectors, VectorSimilarityFunction similarity)
      throws IOException {
    return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(
        similarity, values(vectors));
  }

  static RandomVectorScorer queryScorer(
      float[][] vectors, float[] query, VectorSimilarityFunction similarity) throws IOException {
    return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(
        similarity, values(vectors), query);
  }

  private static FloatVectorValues values(float[][] vectors) {
    return FloatVectorValues.fromFloats(Arrays.asList(vectors), vectors[0].length);
  }
}
