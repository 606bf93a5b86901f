package org.hnswcodec.examples;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * Brute-force nearest neighbours and recall: the ground truth the tests measure graphs against, and
 * the one {@code hnsw-tool bench --filter-percent} computes for its filter.
 */
public final class ExactNeighbors {

  private ExactNeighbors() {}

  /** The {@code k} rows of {@code base} most similar to {@code query}, most similar first. */
  public static int[] topK(
      float[][] base, float[] query, int k, VectorSimilarityFunction similarity) {
    Integer[] rows = new Integer[base.length];
    float[] scores = new float[base.length];
    for (int i = 0; i < base.length; i++) {
      rows[i] = i;
      scores[i] = similarity.compare(query, base[i]);
    }
    Arrays.sort(
        rows,
        Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
    return Arrays.stream(rows, 0, Math.min(k, rows.length)).mapToInt(Integer::intValue).toArray();
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
