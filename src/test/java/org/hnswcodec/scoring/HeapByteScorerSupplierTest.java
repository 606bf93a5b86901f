package org.hnswcodec.scoring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/** The byte kernels give exactly Lucene's scores for every similarity and batch size. */
public class HeapByteScorerSupplierTest extends LuceneTestCase {

  /** The test machine has AVX2, so these tests exercise the kernels, not a fallback. */
  public void testKernelsAreEnabledInTests() {
    assertTrue(SimdSupport.ENABLED);
    assertTrue("256-bit integer vectors", ByteKernels.usable());
  }

  public void testBulkScoresEqualLuceneForEverySimilarityAndBatchSize() throws IOException {
    for (VectorSimilarityFunction similarity : VectorSimilarityFunction.values()) {
      int dimension = ByteKernels.STEP * (1 + random().nextInt(64));
      List<byte[]> vectors = randomVectors(40, dimension);
      RandomVectorScorerSupplier supplier = create(vectors, dimension, similarity);
      assertTrue(supplier instanceof HeapByteScorerSupplier);
      UpdateableRandomVectorScorer scorer = supplier.scorer();
      for (int batch = 1; batch <= 20; batch++) {
        int query = random().nextInt(vectors.size());
        scorer.setScoringOrdinal(query);
        int[] nodes = new int[batch];
        for (int i = 0; i < batch; i++) {
          nodes[i] = random().nextInt(vectors.size());
        }
        float[] scores = new float[batch];
        float max = scorer.bulkScore(nodes, scores, batch);
        float expectedMax = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < batch; i++) {
          float expected = similarity.compare(vectors.get(query), vectors.get(nodes[i]));
          assertEquals(similarity + " batch " + batch + " node " + i, expected, scores[i], 0f);
          assertEquals(expected, scorer.score(nodes[i]), 0f);
          expectedMax = Math.max(expectedMax, expected);
        }
        assertEquals(expectedMax, max, 0f);
      }
    }
  }

  /** Extreme components: differences of 255 and products of -128 · -128 must not overflow. */
  public void testExtremeComponents() throws IOException {
    int dimension = ByteKernels.STEP * 4;
    byte[] low = new byte[dimension];
    byte[] high = new byte[dimension];
    java.util.Arrays.fill(low, Byte.MIN_VALUE);
    java.util.Arrays.fill(high, Byte.MAX_VALUE);
    List<byte[]> vectors = List.of(low, high, low.clone(), high.clone(), low.clone());
    for (VectorSimilarityFunction similarity : VectorSimilarityFunction.values()) {
      UpdateableRandomVectorScorer scorer = create(vectors, dimension, similarity).scorer();
      scorer.setScoringOrdinal(0);
      int[] nodes = {0, 1, 2, 3, 4};
      float[] scores = new float[nodes.length];
      scorer.bulkScore(nodes, scores, nodes.length);
      for (int i = 0; i < nodes.length; i++) {
        float expected = similarity.compare(low, vectors.get(i));
        assertEquals(similarity + " node " + i, expected, scores[i], 0f);
      }
    }
  }

  /** Dimensions the kernels do not take are scored by Lucene's supplier. */
  public void testOddDimensionFallsBackToLucene() throws IOException {
    int dimension = ByteKernels.STEP + 3;
    List<byte[]> vectors = randomVectors(8, dimension);
    RandomVectorScorerSupplier supplier =
        create(vectors, dimension, VectorSimilarityFunction.EUCLIDEAN);
    assertFalse(supplier instanceof HeapByteScorerSupplier);
  }

  private static RandomVectorScorerSupplier create(
      List<byte[]> vectors, int dimension, VectorSimilarityFunction similarity)
      throws IOException {
    return HeapByteScorerSupplier.create(
        vectors, dimension, similarity, FlatVectorScorerUtil.getLucene99FlatVectorsScorer());
  }

  private static List<byte[]> randomVectors(int count, int dimension) {
    List<byte[]> vectors = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] v = new byte[dimension];
      random().nextBytes(v);
      v[0] = (byte) (v[0] | 1); // never the zero vector, which cosine rejects
      vectors.add(v);
    }
    return vectors;
  }
}
