package org.hnswcodec.graph;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/** Scorers over in-memory vectors and a reachability check, for tests of the graph algorithm without an index. */
final class GraphTestSupport {

  private GraphTestSupport() {}

  static RandomVectorScorerSupplier scorers(float[][] vectors, VectorSimilarityFunction similarity)
      throws IOException {
    return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(
        similarity, values(vectors));
  }

  /**
   * Scorers over {@code size} nodes whose every score is NaN, as inner products of vectors whose
   * products overflow (+Inf and -Inf summed) would be. Lucene's own scorers fail an assertion on
   * such vectors with {@code -ea}, so tests of what a build makes of them use these.
   */
  static RandomVectorScorerSupplier nanScorers(int size) {
    FloatVectorValues values =
        FloatVectorValues.fromFloats(Arrays.asList(new float[size][1]), 1);
    return new RandomVectorScorerSupplier() {
      @Override
      public UpdateableRandomVectorScorer scorer() {
        return new UpdateableRandomVectorScorer.AbstractUpdateableRandomVectorScorer(values) {
          @Override
          public void setScoringOrdinal(int node) {}

          @Override
          public float score(int node) {
            return Float.NaN;
          }
        };
      }

      @Override
      public RandomVectorScorerSupplier copy() {
        return this;
      }
    };
  }

  static RandomVectorScorer queryScorer(
      float[][] vectors, float[] query, VectorSimilarityFunction similarity) throws IOException {
    return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(
        similarity, values(vectors), query);
  }

  private static FloatVectorValues values(float[][] vectors) {
    return FloatVectorValues.fromFloats(Arrays.asList(vectors), vectors[0].length);
  }

  /** Every node can be reached from the entry node through layer 0, or searches could miss it. */
  static void assertLayerZeroConnected(OnHeapGraph graph) {
    FixedBitSet reached = new FixedBitSet(graph.size());
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(graph.entryNode());
    reached.set(graph.entryNode());
    int[] neighbors = new int[graph.maxConn(0)];
    while (queue.isEmpty() == false) {
      int node = queue.poll();
      int degree = graph.neighbors(0, node, neighbors);
      for (int i = 0; i < degree; i++) {
        if (reached.getAndSet(neighbors[i]) == false) {
          queue.add(neighbors[i]);
        }
      }
    }
    assertEquals(graph.size(), reached.cardinality());
  }
}
