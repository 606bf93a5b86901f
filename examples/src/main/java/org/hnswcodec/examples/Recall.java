package org.hnswcodec.examples;

/**
 * Recall@k of approximate nearest-neighbour results: for each query, the fraction of its true k
 * nearest rows that the search returned among its first k, averaged over the queries.
 */
public final class Recall {

  private Recall() {}

  /**
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
      for (int i = 0; i < Math.min(k, found[q].length); i++) {
        for (int j = 0; j < k; j++) {
          if (found[q][i] == groundTruth[q][j]) {
            matches++;
            break;
          }
        }
      }
    }
    return (double) matches / ((long) k * found.length);
  }
}
