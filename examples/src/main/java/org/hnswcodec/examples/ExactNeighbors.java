package org.hnswcodec.examples;

import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * Brute-force nearest neighbours and recall: the ground truth the tests measure graphs against, and
 * the one {@code hnsw-tool bench} computes for a filter ({@code --filter-percent}) or a grown base
 * ({@code --grow-to}).
 */
public final class ExactNeighbors {

  private ExactNeighbors() {}

  /**
   * The {@code k} rows of {@code base} most similar to {@code query}, most similar first, ties to
   * the lower row. One pass keeps the best {@code k} so far in order, so that the ground truth of a
   * large base ({@code bench --grow-to}) costs a scan rather than a sort.
   */
  public static int[] topK(
      float[][] base, float[] query, int k, VectorSimilarityFunction similarity) {
    int count = Math.min(k, base.length);
    if (count <= 0) {
      return new int[0];
    }
    int[] rows = new int[count];
    float[] scores = new float[count];
    int size = 0;
    for (int row = 0; row < base.length; row++) {
      float score = similarity.compare(query, base[row]);
      // a later row equal to the k-th best loses the tie, as it would to any kept row
      if (size == count && score <= scores[count - 1]) {
        continue;
      }
      int slot = size == count ? count - 1 : size++;
      for (; slot > 0 && scores[slot - 1] < score; slot--) {
        rows[slot] = rows[slot - 1];
        scores[slot] = scores[slot - 1];
      }
      rows[slot] = row;
      scores[slot] = score;
    }
    return rows;
  }

  /** The fraction of the first {@code k} of {@code truth} found in {@code found}. */
  public static double recall(int[] found, int[] truth, int k) {
    int hits = 0;
    for (int i = 0; i < k; i++) {
      for (int f : found) {
        if (f == truth[i]) {
          hits++;
          break;
        }
      }
    }
    return hits / (double) k;
  }
}
