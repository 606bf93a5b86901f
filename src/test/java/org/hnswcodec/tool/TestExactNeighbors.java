package org.hnswcodec.tool;

import static org.junit.Assert.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.hnswcodec.examples.ExactNeighbors;
import org.junit.Test;

public class TestExactNeighbors {

  /**
   * The one-pass selection gives what sorting every row does: most similar first, ties to the
   * lower row; on small integer vectors, where equal scores abound.
   */
  @Test
  public void testTopKIsTheHeadOfTheFullSort() {
    Random random = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      float[][] base = new float[1 + random.nextInt(300)][3];
      for (float[] vector : base) {
        for (int i = 0; i < vector.length; i++) {
          vector[i] = random.nextInt(4);
        }
      }
      float[] query = {random.nextInt(4), random.nextInt(4), random.nextInt(4)};
      int k = random.nextInt(40);
      for (VectorSimilarityFunction similarity :
          new VectorSimilarityFunction[] {
            VectorSimilarityFunction.EUCLIDEAN, VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT
          }) {
        assertArrayEquals(
            "trial " + trial + ", " + similarity + ", k=" + k,
            bySorting(base, query, k, similarity),
            ExactNeighbors.topK(base, query, k, similarity));
      }
    }
  }

  private static int[] bySorting(
      float[][] base, float[] query, int k, VectorSimilarityFunction similarity) {
    float[] scores = new float[base.length];
    Integer[] rows = new Integer[base.length];
    for (int i = 0; i < base.length; i++) {
      rows[i] = i;
      scores[i] = similarity.compare(query, base[i]);
    }
    Comparator<Integer> order = Comparator.comparingDouble(i -> -scores[i]);
    Arrays.sort(rows, order.thenComparingInt(i -> i));
    return Arrays.stream(rows, 0, Math.min(k, rows.length)).mapToInt(Integer::intValue).toArray();
  }
}
