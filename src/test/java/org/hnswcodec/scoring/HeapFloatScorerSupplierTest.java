package org.hnswcodec.scoring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/** The batched kernels give Lucene's scores for every similarity and batch size. */
public class HeapFloatScorerSupplierTest extends LuceneTestCase {

  /** The test JVM runs with the Vector API, so these tests exercise the kernels, not a fallback. */
  public void testKernelsAreEnabledInTests() {
    assertTrue("tests run with --add-modules jdk.incubator.vector", SimdSupport.ENABLED);
  }

  public void testBulkScoresMatchLuceneForEverySimilarityAndBatchSize() throws IOException {
    for (VectorSimilarityFunction similarity : VectorSimilarityFunction.values()) {
      int dimension = FloatKernels.lanes() * (1 + random().nextInt(12));
      List<float[]> vectors = randomVectors(40, dimension, similarity);
      RandomVectorScorerSupplier supplier = create(vectors, dimension, similarity);
      assertTrue(supplier instanceof HeapFloatScorerSupplier);
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
          assertEquals(
              similarity + " batch " + batch + " node " + i,
              expected,
              scores[i],
              1e-5f * Math.max(1, Math.abs(expected)));
          assertEquals(expected, scorer.score(nodes[i]), 0f);
          expectedMax = Math.max(expectedMax, scores[i]);
        }
        assertEquals(expectedMax, max, 0f);
      }
    }
  }

  /** Scorers from one supplier and its copies keep their own query and buffers. */
  public void testScorersAreIndependent() throws IOException {
    int dimension = FloatKernels.lanes() * 2;
    VectorSimilarityFunction similarity = VectorSimilarityFunction.EUCLIDEAN;
    List<float[]> vectors = randomVectors(16, dimension, similarity);
    RandomVectorScorerSupplier supplier = create(vectors, dimension, similarity);
    UpdateableRandomVectorScorer first = supplier.scorer();
    UpdateableRandomVectorScorer second = supplier.copy().scorer();
    first.setScoringOrdinal(0);
    second.setScoringOrdinal(1);
    int[] nodes = {2, 3, 4, 5, 6};
    float[] firstScores = new float[nodes.length];
    float[] secondScores = new float[nodes.length];
    first.bulkScore(nodes, firstScores, nodes.length);
    second.bulkScore(nodes, secondScores, nodes.length);
    for (int i = 0; i < nodes.length; i++) {
      assertEquals(
          similarity.compare(vectors.get(0), vectors.get(nodes[i])), firstScores[i], 1e-5f);
      assertEquals(
          similarity.compare(vectors.get(1), vectors.get(nodes[i])), secondScores[i], 1e-5f);
    }
  }

  /** Dimensions the kernels do not take are scored by Lucene's supplier. */
  public void testOddDimensionFallsBackToLucene() throws IOException {
    int dimension = FloatKernels.lanes() + 3;
    VectorSimilarityFunction similarity = VectorSimilarityFunction.DOT_PRODUCT;
    List<float[]> vectors = randomVectors(8, dimension, similarity);
    RandomVectorScorerSupplier supplier = create(vectors, dimension, similarity);
    assertFalse(supplier instanceof HeapFloatScorerSupplier);
    UpdateableRandomVectorScorer scorer = supplier.scorer();
    scorer.setScoringOrdinal(0);
    assertEquals(similarity.compare(vectors.get(0), vectors.get(5)), scorer.score(5), 0f);
  }

  private static RandomVectorScorerSupplier create(
      List<float[]> vectors, int dimension, VectorSimilarityFunction similarity)
      throws IOException {
    return HeapFloatScorerSupplier.create(
        vectors, dimension, similarity, FlatVectorScorerUtil.getLucene99FlatVectorsScorer());
  }

  /** Random vectors, unit length for DOT_PRODUCT as Lucene requires. */
  private static List<float[]> randomVectors(
      int count, int dimension, VectorSimilarityFunction similarity) {
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] v = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        v[d] = random().nextFloat() * 2 - 1;
      }
      if (similarity == VectorSimilarityFunction.DOT_PRODUCT) {
        VectorUtil.l2normalize(v);
      }
      vectors.add(v);
    }
    return vectors;
  }
}
