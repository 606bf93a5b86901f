package org.hnswcodec.examples;

import java.util.Arrays;

/**
 * Recall@k of approximate nearest-neighbour results: the fraction of a query's true k nearest rows
 * that the search returned among its first k, for one query or averaged over several.
 */
public final class Recall {

  private Recall() {}

  /**
   * Recall@k averaged over the queries.
   *
   * @param found per query, the rows a search returned, best first (at most k are counted)
   * @param groundTruth per query, the exact nearest rows, nearest first (at least k of them)
   * @param k how many neighbours count
   */
  public static double atK(int[][] found, int[][] groundTruth, int k) {
    if (found.length != groundTruth.length) {
      throw new IllegalArgumentException(
          found.length + " results for " + groundTruth.length + " ground-truth queries");
    }
    long matches = 0;
    for (int q = 0; q < found.length; q++) {
      if (groundTruth[q].length < k) {
        throw new IllegalArgumentException(
            "ground truth of query " + q + " has " + groundTruth[q].length + " rows; k=" + k);
      }
      matches += matches(Arrays.stream(found[q]).asLongStream().toArray(), groundTruth[q], k);
    }
    return (double) matches / ((long) k * found.length);
  }

  /**
   * Recall@k of one query.
   *
   * @param found the rows the search returned, best first (at most k are counted)
   * @param truth the exact nearest rows, nearest first (at least k of them)
   * @param k how many neighbours count
   */
  public static double atK(long[] found, int[] truth, int k) {
    return (double) matches(found, truth, k) / k;
  }

  /** How many of the first k found rows are among the first k true ones. */
  private static int matches(long[] found, int[] truth, int k) {
    int matches = 0;
    for (int i = 0; i < Math.min(k, found.length); i++) {
      for (int j = 0; j < k; j++) {
        if (found[i] == truth[j]) {
          matches++;
          break;
        }
      }
    }
    return matches;
  }
}
