package org.hnswcodec.tool;

/** Recall@k of one query's results against its exact nearest neighbours. */
final class Recall {

  private Recall() {}

  /**
   * The fraction of the true {@code k} nearest rows found among the returned rows.
   *
   * @param rows the rows returned, best first (only the first k count)
   * @param truth the exact nearest rows, nearest first, at least k of them
   */
  static double atK(long[] rows, int[] truth, int k) {
    int found = 0;
    for (int i = 0; i < Math.min(k, rows.length); i++) {
      for (int j = 0; j < k; j++) {
        if (truth[j] == rows[i]) {
          found++;
          break;
        }
      }
    }
    return (double) found / k;
  }

  /**
   * Checks that the ground truth has a row with at least k ids for every query row.
   *
   * @throws InputException if not
   */
  static void checkCovers(int[][] truth, long lastQueryRow, int k, String file) {
    if (truth.length <= lastQueryRow) {
      throw new InputException(
          file + " has " + truth.length + " rows; the queries go up to row " + lastQueryRow);
    }
    if (truth.length > 0 && truth[0].length < k) {
      throw new InputException(
          file + " has " + truth[0].length + " neighbours per query; recall@" + k + " needs " + k);
    }
  }
}
